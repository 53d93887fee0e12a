#!/usr/bin/env bash
# Benchmark of the operator against the real API server and etcd, with stand-ins for the pods.
#
#   bash e2e/bench/operator.sh fleets-100x10   100 autoscaled fleets of 10 pods
#   bash e2e/bench/operator.sh fleet-300       1 autoscaled fleet of 300 pods
#   bash e2e/bench/operator.sh all             both, one after the other (the default)
#
# Each scenario gets a fresh control plane (kube-api-test: etcd + kube-apiserver, plus
# kube-controller-manager), the node and kubelet stand-ins (io.wsfleet.e2e.operatorbench, one
# JVM) and the operator jar as its own process. Phases: setup (fleets created until every pod
# runs), steady (STEADY_SECONDS), grow (clients up a fifth) and shrink (back down: drains).
# Prints the figures of each phase, one a line, then the 100 x 10 targets with PASS or MISS;
# a miss does not fail the command. It exits 3 when the setup broke, 2 on a usage error.
# Logs go to e2e/target/bench/operator/. Variables: FLEETS, PODS_PER_FLEET, STEADY_SECONDS,
# INTERVAL_SECONDS, CONVERGE_TIMEOUT_SECONDS, OPERATOR_JVM_FLAGS, KUBE_API_TEST_DIR, REBUILD=1.
# Everything it starts is stopped when it ends, also on failure or Ctrl-C.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() {
  echo "usage: [FLEETS=n ...] bash e2e/bench/operator.sh [fleets-100x10|fleet-300|all]" >&2
}

case "${1:-all}" in
  fleets-100x10 | fleet-300) scenarios="$1" ;;
  all) scenarios="fleets-100x10,fleet-300" ;;
  *)
    usage
    exit 2
    ;;
esac
steady_seconds="${STEADY_SECONDS:-60}"
interval_seconds="${INTERVAL_SECONDS:-5}"
converge_timeout="${CONVERGE_TIMEOUT_SECONDS:-600}"
# As the Deployment's container would run it: a 512 MiB memory limit makes the JVM pick Serial GC
# and an initial heap of 8 MiB; the image's -XX:MaxRAMPercentage=75 makes the maximum 384 MiB.
operator_jvm_flags="${OPERATOR_JVM_FLAGS:--XX:+UseSerialGC -Xms8m -Xmx384m -XX:+ExitOnOutOfMemoryError}"
for value in "$steady_seconds" "$interval_seconds" "$converge_timeout" "${FLEETS:-1}" \
  "${PODS_PER_FLEET:-1}"; do
  [[ $value =~ ^[0-9]+$ ]] || { echo "operator.sh: '$value' is not a whole number" >&2; exit 2; }
done
if ((interval_seconds < 1 || interval_seconds > 300)); then
  echo "operator.sh: INTERVAL_SECONDS must be 1-300 (the CRD's range)" >&2
  exit 2
fi

export KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$repo_root/.cache/kube-api-test}"
if ! compgen -G "$KUBE_API_TEST_DIR/k8s/*/kube-apiserver" >/dev/null; then
  echo "operator.sh: no control-plane binaries under $KUBE_API_TEST_DIR:" \
    "run bash e2e/control-plane/install-binaries.sh (or set KUBE_API_TEST_DIR)" >&2
  exit 1
fi
command -v jcmd >/dev/null || { echo "operator.sh: jcmd (JDK) is required" >&2; exit 1; }

# Each side holds one socket per pod (1,000-1,400 here); raise the soft limit to the hard one.
hard_limit="$(ulimit -Hn)"
if [[ $hard_limit != unlimited ]] && ((hard_limit < 20000)); then
  ulimit -n "$hard_limit"
else
  ulimit -n 20000
fi

operator_jar="$repo_root/operator/target/wsfleet-operator.jar"
e2e_jar="$repo_root/e2e/target/wsfleet-e2e.jar"
if [[ ${REBUILD:-0} == 1 || ! -f $operator_jar || ! -f $e2e_jar ]]; then
  echo "operator.sh: building wsfleet-operator.jar and wsfleet-e2e.jar" >&2
  build_start=$SECONDS
  (cd "$repo_root" && mvn -B -q -pl operator,e2e -am -DskipTests -Djib.skip=true package)
  echo "operator.sh: built in $((SECONDS - build_start)) s" >&2
fi

out_dir="$repo_root/e2e/target/bench/operator"
mkdir -p "$out_dir"
pid_file="$out_dir/pids"
: >"$pid_file"
coordinator_pid=""

bench_name=operator.sh
bench_processes='wsfleet-operator\.jar|etcd|kube-apiserver|kube-controller-manager'
coordinator_grace=300
# shellcheck source=e2e/bench/lib/cleanup.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/cleanup.bash"

echo "operator.sh: scenarios=$scenarios steady=${steady_seconds}s interval=${interval_seconds}s" \
  "operator_jvm_flags='$operator_jvm_flags' (open files $(ulimit -n); uptime:$(uptime))" >&2

java -Xmx768m -Dwsfleet.repoRoot="$repo_root" -cp "$e2e_jar" \
  io.wsfleet.e2e.operatorbench.OperatorBench \
  --scenarios "$scenarios" \
  --fleets "${FLEETS:-}" \
  --pods-per-fleet "${PODS_PER_FLEET:-}" \
  --steady-seconds "$steady_seconds" \
  --interval-seconds "$interval_seconds" \
  --converge-timeout-seconds "$converge_timeout" \
  --operator-jar "$operator_jar" \
  --operator-jvm-flags "$operator_jvm_flags" \
  --out-dir "$out_dir" \
  --pid-file "$pid_file" &
coordinator_pid=$!
status=0
wait "$coordinator_pid" || status=$?
coordinator_pid=""
exit "$status"
