# shellcheck shell=bash
# Starting, watching and stopping the daemons; waits.
# Sourced by e2e/cluster/cluster.sh, whose settings and helpers it uses.

daemon_path() {
  local p="$bin:$debroot/usr/bin:$debroot/usr/sbin:$k8s_bin"
  echo "$p:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
}

# spawn NAME BINARY ARGS... : starts BINARY inside the namespace, in a session of its own,
# logging to run/logs/NAME.log; records "PID BINARY" in run/state/pids/NAME. setsid and
# nsenter exec, so the PID is the daemon's.
spawn() {
  local name=$1
  shift
  PATH="$(daemon_path)" "$setsid_bin" "$nsenter_bin" --net="$netns_path" "$@" \
    </dev/null >>"$logs/$name.log" 2>&1 7>&- 8>&- &
  echo "$! $1" >"$state/pids/$name"
}

# alive PID [EXE] : the process runs (not a zombie) and, given EXE, runs that binary.
alive() {
  local pid=$1 exe=${2:-} st
  [[ -r /proc/$pid/stat ]] || return 1
  st="$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [[ -n $st && $st != Z && $st != X ]] || return 1
  if [[ -n $exe ]]; then
    local real
    real="$(readlink "/proc/$pid/exe" 2>/dev/null)" || return 0 # exe unreadable while exec'ing
    [[ ${real% (deleted)} == "$(readlink -f "$exe")" || $real == "$(readlink -f "$nsenter_bin")" || $real == "$(readlink -f "$setsid_bin")" ]]
  fi
}

daemon_alive() {
  local f="$state/pids/$1" pid exe
  [[ -f $f ]] || return 1
  read -r pid exe <"$f"
  alive "$pid" "$exe"
}

# stop_pid LABEL PID SECONDS : SIGTERM, then SIGKILL after SECONDS.
stop_pid() {
  local label=$1 pid=$2 grace=$3 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 10; i++)); do
    alive "$pid" || { undid "stopped $label (pid $pid)"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
  undid "killed $label (pid $pid) after ${grace}s"
}

stop_daemon() {
  local name=$1 grace=$2 f="$state/pids/$1" pid exe
  [[ -f $f ]] || return 0
  read -r pid exe <"$f"
  if alive "$pid" "$exe"; then
    stop_pid "$name" "$pid" "$grace"
  fi
  rm -f "$f"
}

# fail MESSAGE [DAEMON] : print the reason and the daemon's log tail, exit non-zero (the EXIT
# trap of `up` then takes the cluster down).
fail() {
  warn "up: FAILED: $1"
  if [[ ${2:-} == coredns ]]; then
    warn "---- CoreDNS pod ----"
    kc -n kube-system describe pods -l k8s-app=kube-dns 2>&1 | tail -n 25 >&2
    kc -n kube-system logs -l k8s-app=kube-dns --tail 20 >&2 2>&1
    warn "----"
  elif [[ -n ${2:-} && -f "$logs/$2.log" ]]; then
    warn "---- last lines of ${logs#"$repo_root/"}/$2.log ----"
    tail -n 40 "$logs/$2.log" >&2
    warn "----"
  fi
  exit 1
}

# wait_until DESCRIPTION LOG COMMAND... : polls COMMAND until it succeeds; fails early if any
# daemon started so far exits, or after $wait_timeout seconds (showing LOG: a daemon's name).
wait_until() {
  local desc=$1 daemon=$2 deadline d
  shift 2
  deadline=$(($(now_ms) + wait_timeout * 1000))
  until "$@" >/dev/null 2>&1; do
    for d in "${daemons[@]}"; do
      if [[ -f "$state/pids/$d" ]] && ! daemon_alive "$d"; then
        fail "$d exited while waiting for $desc" "$d"
      fi
    done
    (($(now_ms) < deadline)) || fail "timed out after ${wait_timeout}s waiting for $desc" "$daemon"
    sleep 0.25
  done
}

in_netns() { "$nsenter_bin" --net="$netns_path" "$@"; }
kc() { in_netns "$kubectl_bin" --kubeconfig "$kubeconfig" "$@"; }
ctr_k8s() { "$ctr_bin" --address "$containerd_sock" --namespace k8s.io "$@"; }

apiserver_ready() { [[ "$(kc get --raw /readyz 2>/dev/null)" == ok ]]; }
node_ready() {
  [[ "$(kc get node "$node_name" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]
}
dns_ready() {
  local n
  n="$(kc -n kube-system get deployment coredns -o jsonpath='{.status.readyReplicas}' 2>/dev/null)"
  [[ ${n:-0} -ge 1 ]]
}
etcd_ready() { # GET /health over bash's /dev/tcp (no curl needed)
  in_netns timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/2379 && printf "GET /health HTTP/1.0\r\n\r\n" >&3 && grep -q "\"health\":\"true\"" <&3'
}
