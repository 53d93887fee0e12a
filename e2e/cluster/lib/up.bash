# shellcheck shell=bash
# up: the network namespace, the daemons, images, CoreDNS, and the cleanup of a failed up.
# Sourced by e2e/cluster/cluster.sh, whose settings and helpers it uses.

record_host_state() {
  mkdir -p "$state/pids"
  : >"$state/preexisting"
  local p
  for p in "${host_paths[@]}"; do
    [[ -e $p ]] && echo "$p" >>"$state/preexisting"
  done
  compgen -G '/sys/fs/cgroup/*/kubepods*' >>"$state/preexisting" || true
  compgen -G '/run/netns/cni-*' >>"$state/preexisting" || true
  compgen -G '/run/containerd/s/*' >>"$state/preexisting" || true
}

save_sysctls() {
  : >"$state/sysctl.saved"
  local k f
  for k in "${kubelet_sysctls[@]}"; do
    f="/proc/sys/${k//.//}"
    [[ -r $f ]] && echo "$k=$(cat "$f")" >>"$state/sysctl.saved"
  done
}

make_netns() {
  ip netns add "$netns"
  echo "$netns" >"$state/netns"
  ip -n "$netns" link set lo up
  # Both ends of the pair stay inside: the node IP has a link, a default route leads nowhere.
  ip -n "$netns" link add eth0 type veth peer name nowhere0
  ip -n "$netns" addr add "$node_ip/24" dev eth0
  ip -n "$netns" link set nowhere0 up
  ip -n "$netns" link set eth0 up
  ip -n "$netns" route add default via "$nowhere_ip" dev eth0
  in_netns sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
  if [[ -r /proc/sys/net/bridge/bridge-nf-call-iptables ]]; then
    in_netns sh -c 'echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables'
  else
    warn "up: br_netfilter is not loaded: pod -> Service -> pod on the same bridge will not work"
  fi
}

import_images() { # import_images TAR... : into the node's containerd (k8s.io namespace)
  local tar t
  for tar in "$@"; do
    [[ -f $tar ]] || fail "image archive $tar does not exist"
    t="$(now_ms)"
    ctr_k8s images import --snapshotter overlayfs "$tar" >"$logs/import.log" 2>&1 ||
      fail "ctr images import $tar failed: $(tail -n 5 "$logs/import.log")" containerd
    say "imported ${tar#"$repo_root/"}: $(sed -n 's/^unpacking \(.*\) (sha256.*/\1/p' "$logs/import.log" | tr '\n' ' ')($(fmt_ms $(($(now_ms) - t))))"
  done
}

up_running=0
on_up_exit() {
  local rc=$?
  exec 1>&7 2>&8
  if ((up_running)); then
    set +eE
    trap - INT TERM ERR
    if [[ -n ${WSFLEET_KEEP_ON_FAILURE:-} ]]; then
      warn "up: did not complete (exit $rc): WSFLEET_KEEP_ON_FAILURE is set, so it stays up: run '$0 down'"
      exit "$rc"
    fi
    warn "up: did not complete (exit $rc): taking down what it started"
    cmd_down
    exit $((rc == 0 ? 1 : rc))
  fi
}

cmd_up() {
  require_root up
  if [[ -e $netns_path ]] || [[ -d $state ]]; then
    warn "up: a cluster is up or was not taken down (netns $netns or ${state#"$repo_root/"} exists): run '$0 down' first"
    exit 1
  fi
  local busy
  busy="$(compgen -G '/sys/fs/cgroup/pids/kubepods*' | while read -r d; do find "$d" -name cgroup.procs -exec cat {} +; done | head -1 || true)"
  [[ -z $busy ]] || { warn "up: processes run in /sys/fs/cgroup/pids/kubepods: another kubelet runs on this machine"; exit 1; }
  if ! build_complete; then
    say "up: build outputs missing: running build"
    cmd_build
  fi
  local extra=()
  # shellcheck disable=SC2206 # WSFLEET_IMAGES is a space-separated list of paths
  [[ -n ${WSFLEET_IMAGES:-} ]] && extra+=($WSFLEET_IMAGES)
  extra+=("$@")
  local x
  for x in ${extra[@]+"${extra[@]}"}; do
    [[ -f $x ]] || { warn "up: image archive $x does not exist"; exit 1; }
  done

  local t0 t
  t0="$(now_ms)"
  up_running=1
  set -E
  trap 'warn "up: failed at line $LINENO: $BASH_COMMAND"' ERR
  trap on_up_exit EXIT
  trap 'exec 1>&7 2>&8; warn "up: interrupted"; exit 130' INT
  trap 'exec 1>&7 2>&8; warn "up: terminated"; exit 143' TERM
  trap 'exec 1>&7 2>&8; warn "up: hangup"; exit 129' HUP

  # A fresh run directory; logs of the previous run are replaced.
  rm -rf --one-file-system "$run"
  mkdir -p "$logs" "$state/pids"
  record_host_state
  ensure_pki
  write_configs
  make_netns
  say "up: namespace $netns, node IP $node_ip (no route out)"

  spawn etcd "$k8s_bin/etcd" --name wsfleet --data-dir "$run/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster wsfleet=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
    --unsafe-no-fsync --quota-backend-bytes 2147483648 --log-level warn
  spawn containerd "$debroot/usr/bin/containerd" --config "$run/etc/containerd.toml"
  wait_until "etcd health" etcd etcd_ready

  spawn kube-apiserver "$k8s_bin/kube-apiserver" \
    --etcd-servers http://127.0.0.1:2379 \
    --bind-address 0.0.0.0 --secure-port 6443 --advertise-address "$node_ip" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --allow-privileged=true \
    --service-cluster-ip-range "$service_cidr" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$pki/ca.crt" \
    --kubelet-preferred-address-types InternalIP,Hostname \
    --profiling=false --event-ttl 1h

  # Images go in while the API server starts.
  wait_until "containerd's socket" containerd ctr_k8s version
  local tars=("$images"/*.tar)
  import_images "${tars[@]}" ${extra[@]+"${extra[@]}"}

  wait_until "kube-apiserver /readyz" kube-apiserver apiserver_ready
  say "up: API server ready ($(fmt_ms $(($(now_ms) - t0))))"
  # The controllers exit if RBAC is not bootstrapped yet: they start once the API is ready.
  spawn kube-controller-manager "$k8s_bin/kube-controller-manager" \
    --kubeconfig "$run/etc/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$run/etc/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$run/etc/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --allocate-node-cidrs=true --cluster-cidr "$cluster_cidr" --node-cidr-mask-size 24 \
    --service-cluster-ip-range "$service_cidr" --profiling=false \
    --flex-volume-plugin-dir "$run/kubelet-plugins/volume/exec"
  spawn kube-scheduler "$k8s_bin/kube-scheduler" \
    --kubeconfig "$run/etc/scheduler.kubeconfig" \
    --authentication-kubeconfig "$run/etc/scheduler.kubeconfig" \
    --authorization-kubeconfig "$run/etc/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --profiling=false
  # CoreDNS goes in now; it is scheduled as soon as the node is Ready.
  sed "s#image: wsfleet/coredns:.*#image: ${coredns_image#docker.io/}#" "$here/coredns.yaml" |
    kc apply -f - >"$logs/coredns-apply.log" 2>&1 || fail "kubectl apply coredns.yaml: $(cat "$logs/coredns-apply.log")"

  save_sysctls
  spawn kubelet "$k8s_bin/kubelet" --config "$run/etc/kubelet.yaml" \
    --kubeconfig "$run/etc/kubelet.kubeconfig" --root-dir "$run/kubelet" \
    --hostname-override "$node_name" --node-ip "$node_ip"
  spawn kube-proxy "$k8s_bin/kube-proxy" --config "$run/etc/kube-proxy.yaml"

  wait_until "node $node_name Ready" kubelet node_ready
  local node_ms=$(($(now_ms) - t0))
  say "up: node $node_name Ready $(fmt_ms "$node_ms") after start"

  wait_until "CoreDNS Ready" coredns dns_ready
  local dns_ms=$(($(now_ms) - t0))
  for t in "${daemons[@]}"; do
    daemon_alive "$t" || fail "$t is not running" "$t"
  done
  up_running=0
  trap - EXIT INT TERM HUP ERR
  say "up: cluster DNS Ready $(fmt_ms "$dns_ms") after start"
  say "up: kubeconfig ${kubeconfig} (server https://$node_ip:6443, reachable inside netns $netns)"
  say "up: try: $0 kubectl get pods -A"
}
