#!/usr/bin/env bash
# The whole system on one machine, without Docker: a real control plane, the operator, Redis,
# ws-node processes as pods and a load profile that grows the fleet and lets it shrink.
#
#   bash e2e/fleet/run.sh [--profile "ramp 2000 60, hold 30, ramp 400 30, hold 60"]
#                         [--target-per-pod 200] [--out e2e/target/local-fleet] ...
#
# Everything runs in a network namespace of its own (pods need addresses outside 127.0.0.0/8
# for EndpointSlices), which needs root. It prints a timeline, the load report and a verdict,
# writes timeline.txt, chart.svg, load-report.json and summary.json under --out, stops every
# process it started, and exits 0 when the verdict passed.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

if [[ "$(id -u)" != "0" ]]; then
  echo "e2e/fleet/run.sh needs root for its network namespace (try: sudo bash e2e/fleet/run.sh)" >&2
  exit 2
fi

jars=(operator/target/wsfleet-operator.jar ws-node/target/ws-node.jar e2e/target/wsfleet-e2e.jar)
for jar in "${jars[@]}"; do
  if [[ ! -f "$jar" || "${REBUILD:-0}" == "1" ]]; then
    echo "local-fleet: building the jars"
    mvn -B -q -DskipTests package
    break
  fi
done

netns="wsfleet-$$"
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  # Whatever is still running in the namespace is ours: stop it, then remove the namespace.
  local status=$? pids
  pids="$(ip netns pids "$netns" 2>/dev/null || true)"
  if [[ -n "$pids" ]]; then
    # The run stops what it started: a leftover is a bug, and fails the run.
    echo "local-fleet: stopping leftover processes: $(echo "$pids" | tr '\n' ' ')" >&2
    [[ $status -ne 0 ]] || status=3
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    sleep 2
    pids="$(ip netns pids "$netns" 2>/dev/null || true)"
    # shellcheck disable=SC2086
    [[ -z "$pids" ]] || kill -KILL $pids 2>/dev/null || true
  fi
  ip netns delete "$netns" 2>/dev/null || true
  exit "$status"
}
trap cleanup EXIT
ip netns add "$netns"
ip netns exec "$netns" ip link set lo up
# kube-apiserver advertises the address of the default route; in here that is the namespace's own.
ip netns exec "$netns" ip addr add 10.244.255.254/32 dev lo
ip netns exec "$netns" ip route add default dev lo src 10.244.255.254

set +e
WSFLEET_NETNS="$netns" ip netns exec "$netns" \
  java -Xmx768m -Dwsfleet.repoRoot="$repo_root" -Dwsfleet.run="$netns" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp e2e/target/wsfleet-e2e.jar io.wsfleet.e2e.fleet.LocalFleet --netns "$netns" --run-tag "$netns" "$@"
status=$?
set -e
exit "$status"
