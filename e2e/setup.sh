#!/usr/bin/env bash
# Installs what wsfleet's build and tests need on a fresh Debian-like machine, then
# the local control plane's binaries. Idempotent: a second run only checks.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian packages the tests use: shellcheck (script lint test), redis-server (broker tests, and
# the demo Redis image), iproute2 and util-linux (the local cluster's network namespace, nsenter),
# gcc and libc6-dev (the static pause binary), openssl (the cluster's certificates),
# openjdk-17-jdk-headless (its jmods make the images' Java runtime).
apt_packages=(shellcheck redis-server iproute2 util-linux gcc libc6-dev openssl openjdk-17-jdk-headless)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The tests start their own Redis servers on loopback; the distribution's service is not needed.
  if command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then
    "${sudo_cmd[@]}" systemctl stop redis-server || true
  fi
else
  echo "setup: Debian packages present (${apt_packages[*]})"
fi

for tool in java mvn go; do
  command -v "$tool" >/dev/null || { echo "setup: $tool is required (README: Prerequisites)" >&2; exit 1; }
done

timed() {
  local what=$1 start=$SECONDS
  shift
  "$@"
  echo "setup: $what took $((SECONDS - start)) s"
}

timed "control-plane and node binaries" bash "$repo_root/e2e/control-plane/install-binaries.sh"
# containerd, runc and the CNI plugins from Debian (unpacked), pause, CoreDNS, the Redis image.
timed "cluster parts" bash "$repo_root/e2e/cluster/cluster.sh" build
