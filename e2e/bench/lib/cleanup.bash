# shellcheck shell=bash
# shellcheck disable=SC2154  # the variables below are set by the sourcing script
# The exit trap of the benchmark scripts. The sourcing script sets:
#   bench_name        its name, for messages
#   pid_file          where the coordinator records "pid name" of every process it starts
#   coordinator_pid   the coordinator's pid while it runs, else empty
#   bench_processes   an ERE matching the command lines of those processes
#   coordinator_grace tenths of a second the coordinator gets to stop its processes itself
# It kills only what this run started: the coordinator, then every recorded pid whose command
# line still matches (a pid may have been reused by now).

# shellcheck disable=SC2317  # only ever invoked by the EXIT trap
bench_cleanup() {
  local status=$? pid name waited
  trap - EXIT INT TERM
  if [[ -n $coordinator_pid ]] && kill -0 "$coordinator_pid" 2>/dev/null; then
    kill -TERM "$coordinator_pid" 2>/dev/null || true
    for ((waited = 0; waited < coordinator_grace; waited++)); do
      kill -0 "$coordinator_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$coordinator_pid" 2>/dev/null || true
  fi
  if [[ -f $pid_file ]]; then
    while read -r pid name; do
      [[ $pid =~ ^[0-9]+$ ]] || continue
      if kill -0 "$pid" 2>/dev/null \
        && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -Eq "$bench_processes"; then
        echo "$bench_name: killing leftover $name (pid $pid)" >&2
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done <"$pid_file"
  fi
  exit "$status"
}

trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
