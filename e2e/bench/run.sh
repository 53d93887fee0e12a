#!/usr/bin/env bash
# Benchmark of idle subscribed WebSocket connections on ws-node, all on loopback.
#
#   bash e2e/bench/run.sh single   one server (in-process broker), ~18,500 connections
#   bash e2e/bench/run.sh fleet    six servers sharing one Redis, ~100,000 connections
#
# Prints one figure a line and writes e2e/target/bench/result-<shape>.json and
# e2e/target/bench/histogram-<shape>.txt; process logs go to e2e/target/bench/logs-<shape>/.
# Scale down or tune with environment variables, e.g.
#   CONNECTIONS=2000 bash e2e/bench/run.sh single
#   CONNECTIONS=12000 SERVERS=3 CLIENTS=2 bash e2e/bench/run.sh fleet
# CONNECTIONS, SERVERS, CLIENTS (client processes), MESSAGES (broadcasts, 3-5), GAP_SECONDS,
# RATE (handshakes/s per client process), CONCURRENCY (handshakes in flight per client process),
# RETRIES, SERVER_HEAP, CLIENT_HEAP, TIME_LIMIT_SECONDS, REBUILD=1 (rebuild the jars).
# Everything it starts is stopped when it ends, also on failure or Ctrl-C.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() {
  echo "usage: [CONNECTIONS=n ...] bash e2e/bench/run.sh single|fleet" >&2
}

shape="${1:-}"
case "$shape" in
  single)
    connections="${CONNECTIONS:-18500}"
    servers="${SERVERS:-1}"
    clients="${CLIENTS:-2}"
    server_heap="${SERVER_HEAP:-1g}"
    ;;
  fleet)
    connections="${CONNECTIONS:-100000}"
    servers="${SERVERS:-6}"
    clients="${CLIENTS:-6}"
    server_heap="${SERVER_HEAP:-512m}"
    ;;
  *)
    usage
    exit 2
    ;;
esac
messages="${MESSAGES:-5}"
gap_seconds="${GAP_SECONDS:-3}"
rate="${RATE:-3000}"
concurrency="${CONCURRENCY:-200}"
retries="${RETRIES:-3}"
client_heap="${CLIENT_HEAP:-1g}"
time_limit="${TIME_LIMIT_SECONDS:-600}"

for value in "$connections" "$servers" "$clients" "$messages" "$gap_seconds" "$rate" \
  "$concurrency" "$retries" "$time_limit"; do
  [[ $value =~ ^[0-9]+$ ]] || { echo "run.sh: '$value' is not a whole number" >&2; exit 2; }
done
if ((connections < 1 || servers < 1 || clients < 1 || messages < 1)); then
  echo "run.sh: CONNECTIONS, SERVERS, CLIENTS and MESSAGES must be at least 1" >&2
  exit 2
fi
if [[ $shape == fleet ]] && ((servers < 2)); then
  echo "run.sh: the fleet shape needs at least 2 servers (they share one Redis)" >&2
  exit 2
fi
if [[ $shape == single ]] && ((servers != 1)); then
  echo "run.sh: the single shape runs exactly one server" >&2
  exit 2
fi
# One process holds fewer than 20,000 descriptors here (ulimit -Hn): keep each under 19,000.
per_client=$(((connections + clients - 1) / clients))
per_server=$(((connections + servers - 1) / servers))
if ((per_client > 19000 || per_server > 19000)); then
  echo "run.sh: $per_client connections per client process and $per_server per server;" \
    "each must stay under 19,000 (raise CLIENTS or SERVERS)" >&2
  exit 2
fi

hard_limit="$(ulimit -Hn)"
if [[ $hard_limit != unlimited ]] && ((hard_limit < 20000)); then
  ulimit -n "$hard_limit"
else
  ulimit -n 20000
fi
if (($(ulimit -n) < per_client + 500 || $(ulimit -n) < per_server + 500)); then
  echo "run.sh: open-file limit $(ulimit -n) is too low for $per_client/$per_server sockets" >&2
  exit 2
fi

ws_node_jar="$repo_root/ws-node/target/ws-node.jar"
e2e_jar="$repo_root/e2e/target/wsfleet-e2e.jar"
if [[ ${REBUILD:-0} == 1 || ! -f $ws_node_jar || ! -f $e2e_jar ]]; then
  echo "run.sh: building ws-node.jar and wsfleet-e2e.jar" >&2
  (cd "$repo_root" && mvn -B -q -pl ws-node,e2e -am -DskipTests package)
fi
command -v jcmd >/dev/null || { echo "run.sh: jcmd (JDK) is required" >&2; exit 1; }
if [[ $shape == fleet ]]; then
  command -v redis-server >/dev/null || { echo "run.sh: redis-server is required (e2e/setup.sh)" >&2; exit 1; }
fi

out_dir="$repo_root/e2e/target/bench"
mkdir -p "$out_dir"
pid_file="$out_dir/pids-$shape"
: >"$pid_file"
coordinator_pid=""

bench_name=run.sh
bench_processes='ws-node\.jar|BenchClient|redis-server'
coordinator_grace=150
# shellcheck source=e2e/bench/lib/cleanup.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/cleanup.bash"

echo "run.sh: shape=$shape connections=$connections servers=$servers clients=$clients" \
  "server_heap=$server_heap client_heap=$client_heap (open files $(ulimit -n))" >&2

java -Xmx512m -cp "$e2e_jar" io.wsfleet.e2e.bench.Bench \
  --shape "$shape" \
  --connections "$connections" \
  --servers "$servers" \
  --clients "$clients" \
  --messages "$messages" \
  --gap-seconds "$gap_seconds" \
  --rate "$rate" \
  --concurrency "$concurrency" \
  --retries "$retries" \
  --server-heap "$server_heap" \
  --client-heap "$client_heap" \
  --ws-node-jar "$ws_node_jar" \
  --out-dir "$out_dir" \
  --pid-file "$pid_file" \
  --time-limit-seconds "$time_limit" &
coordinator_pid=$!

# The coordinator stops itself at its time limit; this bounds the wait even if it hangs.
deadline=$((SECONDS + time_limit + 90))
while kill -0 "$coordinator_pid" 2>/dev/null; do
  if ((SECONDS > deadline)); then
    echo "run.sh: coordinator exceeded ${time_limit}s + 90s; stopping it" >&2
    exit 124
  fi
  sleep 1
done
status=0
wait "$coordinator_pid" || status=$?
coordinator_pid=""
exit "$status"
