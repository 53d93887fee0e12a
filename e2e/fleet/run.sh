#!/usr/bin/env bash
# The main job: wsfleet on a real single-node Kubernetes on this machine, installed as README's
# quick start says, with a load that grows the fleet and lets it shrink.
#
#   bash e2e/fleet/run.sh [--profile "ramp 2000 60, hold 30, ramp 400 30, hold 60"]
#                         [--target-per-pod 200] [--out e2e/target/local-fleet] ...
#
# Starts the local cluster (e2e/cluster/cluster.sh: kubelet, containerd, kube-proxy, CoreDNS in a
# network namespace) with the images the build made, installs wsfleet (e2e/fleet/install.sh), runs
# the fleet scenario (FleetScenario) inside the namespace, where the fleet's Service and pods are
# reachable, and stops the cluster on every exit path. Needs root. Prints a timeline, the load
# report and a verdict, writes timeline.txt, chart.svg, load-report.json and summary.json under
# --out, and exits 0 when the verdict passed.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

if [[ "$(id -u)" != "0" ]]; then
  echo "e2e/fleet/run.sh needs root for the cluster's network namespace (try: sudo bash e2e/fleet/run.sh)" >&2
  exit 2
fi

out="e2e/target/local-fleet"
args=("$@")
for ((i = 0; i < ${#args[@]} - 1; i++)); do
  [[ ${args[i]} == --out ]] && out="${args[i + 1]}"
done
mkdir -p "$out"

images=(operator/target/jib-image.tar ws-node/target/jib-image.tar)
for file in "${images[@]}" e2e/target/wsfleet-e2e.jar; do
  if [[ ! -f "$file" || "${REBUILD:-0}" == "1" ]]; then
    echo "local-fleet: building the jars and images"
    mvn -B -q -DskipTests package
    break
  fi
done

cluster=(bash e2e/cluster/cluster.sh)
# shellcheck source=e2e/control-plane/versions.env
source e2e/control-plane/versions.env
kubectl_bin="$repo_root/.cache/kube-api-test/k8s/${K8S_VERSION}-linux-amd64/kubectl"
kubeconfig="$repo_root/.cache/cluster/run/kubeconfig"

phase() {
  local name=$1 start=$SECONDS
  shift
  echo "local-fleet: $name"
  "$@"
  echo "local-fleet: $name took $((SECONDS - start)) s"
}

# The whole cluster's memory: its daemons (every process in the node's namespace but the
# scenario's) plus what its pods' cgroups hold.
cluster_memory_mib() {
  local pid kib=0 rss pods=0
  for pid in $(ip netns pids "${WSFLEET_NODE_NETNS:-wsfleet-node}" 2>/dev/null); do
    grep -q FleetScenario "/proc/$pid/cmdline" 2>/dev/null && continue
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    kib=$((kib + ${rss:-0}))
  done
  if [[ -r /sys/fs/cgroup/memory/kubepods/memory.stat ]]; then
    pods=$(awk '$1 == "total_rss" { print int($2 / 1024) }' /sys/fs/cgroup/memory/kubepods/memory.stat)
  fi
  echo "$(((kib + pods) / 1024)) $((kib / 1024)) $((pods / 1024))"
}

memory_sampler() {
  local peak=0 now
  while sleep 2; do
    read -r now daemons pods < <(cluster_memory_mib)
    if ((now > peak)); then
      peak=$now
      echo "$peak MiB (daemons $daemons MiB, pods $pods MiB)" >"$out/cluster-memory-peak.txt"
    fi
  done
}

sampler_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [[ -z "$sampler_pid" ]] || kill "$sampler_pid" 2>/dev/null || true
  if ! "${cluster[@]}" down; then
    echo "local-fleet: the cluster did not stop cleanly" >&2
    [[ $status -ne 0 ]] || status=3
  fi
  [[ ! -f "$out/cluster-memory-peak.txt" ]] ||
    echo "local-fleet: cluster memory at peak: $(cat "$out/cluster-memory-peak.txt")"
  echo "local-fleet: main job took $((SECONDS - job_start)) s (exit $status)"
  exit "$status"
}
job_start=$SECONDS
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

phase "cluster up" env WSFLEET_IMAGES="${images[*]}" "${cluster[@]}" up
memory_sampler &
sampler_pid=$!
phase "install wsfleet (README quick start)" bash e2e/fleet/install.sh "${cluster[@]}" kubectl

set +e
"${cluster[@]}" exec java -Xmx768m -Dwsfleet.repoRoot="$repo_root" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp e2e/target/wsfleet-e2e.jar io.wsfleet.e2e.fleet.FleetScenario \
  --kubeconfig "$kubeconfig" --kubectl "$kubectl_bin" --ctr "bash $repo_root/e2e/cluster/cluster.sh ctr" \
  "$@"
status=$?
set -e
exit "$status"
