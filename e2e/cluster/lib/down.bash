# shellcheck shell=bash
# down: stopping everything and undoing what the cluster changed on the host.
# Sourced by e2e/cluster/cluster.sh, whose settings and helpers it uses.

preexisted() { [[ -f "$state/preexisting" ]] && grep -qxF "$1" "$state/preexisting"; }

# Mount points at or under DIR, deepest (latest) first.
mounts_under() {
  awk -v d="$1" '$5 == d || index($5, d "/") == 1 {print $5}' /proc/self/mountinfo | tac
}

unmount_under() {
  local dir=$1 m n=0 lazy=0
  while read -r m; do
    [[ -n $m ]] || continue
    if umount "$m" 2>/dev/null; then
      n=$((n + 1))
    elif umount -l "$m" 2>/dev/null; then
      lazy=$((lazy + 1))
    fi
  done < <(mounts_under "$dir")
  ((n + lazy == 0)) || undid "unmounted $n mounts under ${dir#"$repo_root/"}$( ((lazy)) && echo " ($lazy lazily)")"
}

kill_pids() { # kill_pids LABEL PID... : SIGKILL, wait until gone
  local label=$1 pid i
  shift
  (($#)) || return 0
  kill -KILL "$@" 2>/dev/null || true
  for pid in "$@"; do
    for ((i = 0; i < 50; i++)); do
      alive "$pid" || break
      sleep 0.1
    done
  done
  undid "killed $# $label ($*)"
}

# Processes of the containers: everything in the kubepods cgroups (not pre-existing ones).
container_pids() {
  local d
  for d in /sys/fs/cgroup/pids/kubepods*; do
    [[ -d $d ]] || continue
    find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null
  done | sort -un
}

# Shims of our containerd: containerd-shim-runc-v2 processes started with our socket.
shim_pids() {
  local p cmd
  for p in /proc/[0-9]*; do
    cmd="$(tr '\0' ' ' 2>/dev/null <"$p/cmdline")" || continue
    [[ $cmd == *containerd-shim-runc-v2* && $cmd == *"-address $containerd_sock"* ]] && echo "${p#/proc/}"
  done
}

netns_pids() {
  if [[ -e /run/netns/$1 ]]; then ip netns pids "$1" 2>/dev/null || true; fi
}

rmdir_tree() { # depth-first rmdir; returns non-zero if something stayed
  [[ -d $1 ]] || return 0
  find "$1" -depth -type d -exec rmdir {} + 2>/dev/null
  [[ ! -d $1 ]]
}

cmd_down() {
  require_root down
  # The namespace this run made, even if WSFLEET_NODE_NETNS differs now.
  local made
  made="$(cat "$state/netns" 2>/dev/null || true)"
  if [[ -n $made && -e /run/netns/$made ]]; then
    netns=$made
    netns_path="/run/netns/$netns"
  fi
  local name pids i
  did=0

  # 1. Pods, gracefully, while the API server and kubelet still run (bounded).
  if daemon_alive kube-apiserver && daemon_alive kubelet && [[ -f $kubeconfig ]]; then
    stop_daemon kube-controller-manager 5 # no controller recreates what we delete
    stop_daemon kube-scheduler 5
    if timeout 25 "$nsenter_bin" --net="$netns_path" "$kubectl_bin" --kubeconfig "$kubeconfig" \
      delete pods --all --all-namespaces --grace-period="${WSFLEET_DOWN_GRACE:-5}" --timeout=20s \
      --wait=true >"$logs/down-delete-pods.log" 2>&1; then
      undid "deleted pods ($(grep -c deleted "$logs/down-delete-pods.log" || true))"
    else
      undid "pod deletion incomplete after 20s (see ${logs#"$repo_root/"}/down-delete-pods.log)"
    fi
    did=1
  fi

  # 2. Node agents, containers and their shims, containerd.
  stop_daemon kubelet 15
  stop_daemon kube-proxy 5
  mapfile -t pids < <(container_pids)
  kill_pids "container processes" ${pids[@]+"${pids[@]}"}
  stop_daemon containerd 10
  mapfile -t pids < <(shim_pids)
  kill_pids "containerd shims" ${pids[@]+"${pids[@]}"}

  # 3. The control plane.
  for name in kube-scheduler kube-controller-manager kube-apiserver etcd; do
    stop_daemon "$name" 10
  done

  # 4. Anything left in our namespace and in the pod namespaces created since up.
  if [[ -e $netns_path ]]; then
    mapfile -t pids < <(netns_pids "$netns")
    kill_pids "processes left in netns $netns" ${pids[@]+"${pids[@]}"}
  fi
  local ns
  for ns in /run/netns/cni-*; do
    [[ -e $ns ]] || continue
    preexisted "$ns" && continue
    [[ -f "$state/preexisting" ]] || continue
    mapfile -t pids < <(netns_pids "${ns##*/}")
    kill_pids "processes in ${ns##*/}" ${pids[@]+"${pids[@]}"}
    ip netns delete "${ns##*/}" 2>/dev/null || { umount -l "$ns" 2>/dev/null; rm -f "$ns"; }
    undid "deleted pod netns ${ns##*/}"
  done

  # 5. Mounts of kubelet (volumes, its rshared root) and containerd (rootfs, shm).
  unmount_under "$run"

  # 6. Paths created outside .cache (only if they did not exist before up).
  if [[ -f "$state/preexisting" ]]; then
    local p
    for p in /var/lib/kubelet/device-plugins /var/lib/kubelet /var/log/containers /var/log/pods /var/lib/cni \
      /usr/libexec/kubernetes; do
      if [[ ! -e $p ]] || preexisted "$p"; then continue; fi
      if [[ -n "$(mounts_under "$p")" ]]; then
        warn "down: left $p: something is mounted under it"
        continue
      fi
      rm -rf --one-file-system "$p" && undid "removed $p"
    done
    if [[ -e /run/containerd ]]; then
      if ! preexisted /run/containerd; then
        rm -rf --one-file-system /run/containerd && undid "removed /run/containerd"
      else
        for p in /run/containerd/s/*; do
          [[ -e $p ]] && ! preexisted "$p" && rm -f "$p" && undid "removed shim socket $p"
        done
        [[ -d /run/containerd/s ]] && ! preexisted /run/containerd/s && rmdir /run/containerd/s 2>/dev/null
      fi
    fi
    # 7. Cgroups kubelet made (depth-first; retried while the last processes exit).
    local cg left cgroups=()
    for cg in /sys/fs/cgroup/*/kubepods*; do
      [[ -d $cg ]] && ! preexisted "$cg" && cgroups+=("$cg")
    done
    for ((i = 0; i < 30; i++)); do
      left=0
      for cg in /sys/fs/cgroup/*/kubepods*; do
        if [[ ! -d $cg ]] || preexisted "$cg"; then continue; fi
        rmdir_tree "$cg" || left=1
      done
      ((left)) || break
      mapfile -t pids < <(container_pids)
      ((${#pids[@]} == 0)) || kill -KILL "${pids[@]}" 2>/dev/null || true
      sleep 0.2
    done
    if ((left)); then
      warn "down: could not remove $(compgen -G '/sys/fs/cgroup/*/kubepods*' | tr '\n' ' ')"
    elif ((${#cgroups[@]})); then
      undid "removed kubepods cgroups in ${#cgroups[@]} hierarchies"
    fi
  fi

  # 8. Kernel settings kubelet rewrote.
  if [[ -f "$state/sysctl.saved" ]]; then
    local kv k v f cur restored=()
    while IFS= read -r kv; do
      k=${kv%%=*} v=${kv#*=} f="/proc/sys/${k//.//}"
      cur="$(cat "$f" 2>/dev/null || true)"
      if [[ $cur != "$v" ]]; then
        echo "$v" >"$f" 2>/dev/null && restored+=("$k $cur->$v")
      fi
    done <"$state/sysctl.saved"
    ((${#restored[@]} == 0)) || undid "restored $(printf '%s, ' "${restored[@]}" | sed 's/, $//')"
    rm -f "$state/sysctl.saved"
  fi

  # 9. The namespace (and with it the veth pair, cni0 and every iptables rule).
  if [[ -e $netns_path ]]; then
    ip netns delete "$netns" && undid "deleted netns $netns (veth pair, bridge, iptables rules)"
    did=1
  fi

  # 10. Whatever is still there makes down fail (and keeps the state for another try).
  local leftover=()
  for name in "${daemons[@]}"; do
    daemon_alive "$name" && leftover+=("$name")
  done
  mapfile -t pids < <(shim_pids)
  ((${#pids[@]} == 0)) || leftover+=("containerd shims ${pids[*]}")
  [[ ! -e $netns_path ]] || leftover+=("netns $netns")
  [[ -z "$(mounts_under "$run")" ]] || leftover+=("mounts under ${run#"$repo_root/"}")
  if ((${#leftover[@]})); then
    warn "down: NOT clean, still there: ${leftover[*]} (run down again)"
    return 1
  fi

  # 11. The run's state (logs stay).
  if [[ -d $run ]]; then
    [[ -d $state ]] && undid "removed the run's state (${run#"$repo_root/"}, logs kept)"
    find "$run" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf --one-file-system {} +
  fi
  ((did)) || say "down: nothing was running"
  return 0
}
