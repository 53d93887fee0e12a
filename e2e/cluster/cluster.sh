#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, inside a network namespace.
#
#   cluster.sh build          fetch/build everything it needs (idempotent, cached, seconds when warm)
#   cluster.sh up [TAR...]    start the cluster, import images (+TARs), deploy CoreDNS, wait for Ready
#   cluster.sh down           stop it and undo what it did to the host (idempotent; EXIT-trap safe)
#   cluster.sh import TAR...  import image tars (docker-archive or OCI) into the running node
#   cluster.sh kubectl ARGS   the pinned kubectl, inside the namespace, as cluster admin
#   cluster.sh exec CMD...    any command inside the namespace (KUBECONFIG set, kubectl on PATH)
#   cluster.sh ctr ARGS...    containerd's ctr against the node's containerd, namespace k8s.io
#   cluster.sh status         which daemons run
#
# Environment: WSFLEET_NODE_NETNS (namespace, default wsfleet-node), WSFLEET_IMAGES (extra image
# tars for up, space-separated), WSFLEET_UP_TIMEOUT (seconds per wait, default 180),
# WSFLEET_DOWN_GRACE (pod grace period on down, default 5), WSFLEET_KEEP_ON_FAILURE (leave a
# failed up running for inspection). Node wsfleet-node, IP 10.250.0.2; API https://10.250.0.2:6443;
# services 10.96.0.0/16 (DNS 10.96.0.10); pods 10.244.0.0/24 on bridge cni0.
#
# What `up` starts, each with `nsenter --net=/run/netns/$WSFLEET_NODE_NETNS` (host mount
# namespace, own network): etcd, kube-apiserver, kube-controller-manager, kube-scheduler
# (Kubernetes from .cache/kube-api-test, built by e2e/control-plane/install-binaries.sh),
# Debian's containerd + runc + CNI plugins (unpacked, not installed), kubelet and kube-proxy
# (iptables mode). The namespace has no route out: the node IP sits on a veth pair whose both
# ends stay inside, the default route leads nowhere.
#
# Where state lives: everything under .cache/cluster/ (ignored by git): debs/ (unpacked
# packages), bin/ (iptables wrappers), build/ (pause, coredns, imagetool), images/*.tar, pki/
# (certificates, kept across runs), run/ (one run: configs, etcd data, containerd root/state,
# kubelet root, pids, kubeconfig; run/logs/ — daemon and pod logs — stays after down).
#
# What `down` undoes (and `up` on any failure or signal): deletes pods (bounded), stops every
# process it started and every process left in the namespaces, the containers and their
# shims; unmounts what kubelet and containerd mounted under run/; removes what they created
# outside .cache (/var/lib/kubelet/device-plugins, /var/log/containers, /var/log/pods,
# /var/lib/cni, /run/containerd, /run/netns/cni-*, /sys/fs/cgroup/*/kubepods*) unless it
# existed before `up`; restores the kernel settings kubelet rewrites; deletes the namespace.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
# shellcheck source=e2e/control-plane/versions.env
source "$repo_root/e2e/control-plane/versions.env"

k8s_bin="${KUBE_API_TEST_DIR:-$repo_root/.cache/kube-api-test}/k8s/${K8S_VERSION}-linux-amd64"
cache="$repo_root/.cache/cluster"
debs="$cache/debs"
debroot="$debs/root"
bin="$cache/bin"
build="$cache/build"
images="$cache/images"
pki="$cache/pki"
run="$cache/run"
logs="$run/logs"
state="$run/state"

netns="${WSFLEET_NODE_NETNS:-wsfleet-node}"
netns_path="/run/netns/$netns"
node_name=wsfleet-node
node_ip=10.250.0.2
nowhere_ip=10.250.0.1
service_cidr=10.96.0.0/16
api_service_ip=10.96.0.1
dns_ip=10.96.0.10
cluster_cidr=10.244.0.0/16
pod_cidr=10.244.0.0/24
wait_timeout="${WSFLEET_UP_TIMEOUT:-180}"

coredns_version="$(sed -n 's#^require github.com/coredns/coredns v\(.*\)#\1#p' "$here/coredns/go.mod")"
redis_image=docker.io/wsfleet/redis:0.1.0
pause_image=docker.io/wsfleet/pause:0.1.0
coredns_image="docker.io/wsfleet/coredns:${coredns_version}"

containerd_sock="$run/containerd/containerd.sock"
kubeconfig="$run/kubeconfig"
kubectl_bin="$k8s_bin/kubectl"
ctr_bin="$debroot/usr/bin/ctr"
nsenter_bin="$(command -v nsenter)"
setsid_bin="$(command -v setsid)"

# Kernel settings kubelet rewrites at start (setupKernelTunables): saved before, restored by down.
kubelet_sysctls=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
  kernel.keys.root_maxkeys kernel.keys.root_maxbytes)
# Host paths kubelet, containerd and the CNI plugins write outside any configurable root.
host_paths=(/var/lib/kubelet /var/lib/kubelet/device-plugins /var/log/containers /var/log/pods
  /var/lib/cni /run/containerd /run/containerd/s /usr/libexec/kubernetes)
# The daemons up starts (the waits and status check them all).
daemons=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy)

# Messages never fail: a caller that closes our output (`up | head`) must not abort a teardown.
say() { echo "cluster: $*" 2>/dev/null || true; }
warn() { echo "cluster: $*" >&2 || true; }
# fds 7 and 8 keep the caller's stdout and stderr: a signal trap may run while a function's
# output is redirected to a log, and must report to the caller. Daemons do not inherit them.
exec 7>&1 8>&2
trap 'exec >/dev/null 2>&1 7>&1 8>&1' PIPE
# What down undid (down reports "nothing was running" otherwise).
did=0
undid() { did=1; say "down: $*"; }
now_ms() { local t; t="$(date +%s%N)"; echo $((t / 1000000)); }
fmt_ms() { printf '%d.%01ds' $(($1 / 1000)) $((($1 % 1000) / 100)); }
require_root() { [[ $(id -u) -eq 0 ]] || { warn "$1 needs root (network namespaces, mounts, cgroups)"; exit 1; }; }

# The parts, one concern a file: functions, and the little state they keep.
# shellcheck source=e2e/cluster/lib/build.bash
source "$here/lib/build.bash"
# shellcheck source=e2e/cluster/lib/configs.bash
source "$here/lib/configs.bash"
# shellcheck source=e2e/cluster/lib/processes.bash
source "$here/lib/processes.bash"
# shellcheck source=e2e/cluster/lib/up.bash
source "$here/lib/up.bash"
# shellcheck source=e2e/cluster/lib/down.bash
source "$here/lib/down.bash"

# ---------------------------------------------------------------------------------------------

cmd_status() {
  local name
  if [[ ! -e $netns_path ]]; then
    say "status: down (no netns $netns)"
    return 1
  fi
  for name in "${daemons[@]}"; do
    if daemon_alive "$name"; then
      say "status: $name running (pid $(cut -d' ' -f1 "$state/pids/$name"))"
    else
      say "status: $name NOT running"
    fi
  done
  say "status: kubeconfig $kubeconfig, node IP $node_ip"
}

cmd_import() {
  require_root import
  (($#)) || { warn "usage: $0 import TAR..."; exit 2; }
  daemon_alive containerd || { warn "import: the cluster is not up"; exit 1; }
  local tar args=()
  for tar in "$@"; do args+=("$(readlink -f "$tar")"); done
  import_images "${args[@]}"
}

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

main() {
  (($#)) || usage
  local cmd=$1
  shift
  case $cmd in
    build) cmd_build ;;
    up) cmd_up "$@" ;;
    down)
      set +e # a teardown goes on past any failing step; it fails if something is left
      cmd_down
      ;;
    import) cmd_import "$@" ;;
    status) cmd_status ;;
    kubectl)
      [[ -e $netns_path && -f $kubeconfig ]] || { warn "kubectl: the cluster is not up"; exit 1; }
      exec "$nsenter_bin" --net="$netns_path" "$kubectl_bin" --kubeconfig "$kubeconfig" "$@" 7>&- 8>&-
      ;;
    exec)
      [[ -e $netns_path ]] || { warn "exec: netns $netns does not exist (cluster not up)"; exit 1; }
      (($#)) || { warn "usage: $0 exec CMD..."; exit 2; }
      KUBECONFIG="$kubeconfig" PATH="$k8s_bin:$PATH" exec "$nsenter_bin" --net="$netns_path" "$@" 7>&- 8>&-
      ;;
    ctr)
      [[ -S $containerd_sock ]] || { warn "ctr: the cluster is not up"; exit 1; }
      exec "$ctr_bin" --address "$containerd_sock" --namespace k8s.io "$@" 7>&- 8>&-
      ;;
    -h | --help | help) usage ;;
    *) warn "unknown subcommand: $cmd"; usage ;;
  esac
}

main "$@"
