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

# ---------------------------------------------------------------------------------------------
# build

# hash_inputs FILE... : one digest over the files' contents and names.
hash_inputs() { sha256sum "$@" | sha256sum | cut -d' ' -f1; }

# step LABEL FUNCTION : runs FUNCTION (which sets $outcome) and prints outcome and duration.
outcome=""
step() {
  local label=$1 start
  start="$(now_ms)"
  outcome=""
  "$2"
  say "build: $label: $outcome ($(fmt_ms $(($(now_ms) - start))))"
}

build_node_binaries() {
  local b missing=()
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
    [[ -x "$k8s_bin/$b" ]] || missing+=("$b")
  done
  if ((${#missing[@]} == 0)); then
    outcome="reused Kubernetes $K8S_VERSION, etcd $ETCD_VERSION in ${k8s_bin#"$repo_root/"}"
    return
  fi
  say "build: missing ${missing[*]}: running e2e/control-plane/install-binaries.sh"
  bash "$repo_root/e2e/control-plane/install-binaries.sh"
  outcome="built Kubernetes $K8S_VERSION, etcd $ETCD_VERSION"
}

# The iptables tools kube-proxy and the portmap plugin call: the host's when installed, else
# Debian's, unpacked, behind small wrappers that find their libraries and extensions.
needs_iptables() { ! command -v iptables-restore >/dev/null || ! command -v conntrack >/dev/null; }

build_debs() {
  local pkgs=(containerd runc containernetworking-plugins)
  if needs_iptables; then
    pkgs+=(iptables libip4tc2 libip6tc2 libxtables12 libnftnl11 libnetfilter-conntrack3
      libnfnetlink0 libmnl0 conntrack)
  fi
  local stamp="${pkgs[*]}"
  if [[ -f "$debs/stamp" && "$(cat "$debs/stamp")" == "$stamp" && -x "$debroot/usr/bin/containerd" ]]; then
    outcome="reused ${pkgs[*]:0:3}$( ((${#pkgs[@]} > 3)) && echo " + iptables, conntrack")"
  else
    rm -rf "$debs"
    mkdir -p "$debs/dl" "$debroot"
    if ! (cd "$debs/dl" && apt-get download -q -o APT::Sandbox::User=root "${pkgs[@]}" >/dev/null); then
      say "build: apt-get download failed; refreshing package lists once"
      apt-get update -qq
      (cd "$debs/dl" && apt-get download -q -o APT::Sandbox::User=root "${pkgs[@]}" >/dev/null)
    fi
    local deb
    for deb in "$debs"/dl/*.deb; do dpkg-deb -x "$deb" "$debroot"; done
    echo "$stamp" >"$debs/stamp"
    outcome="fetched and unpacked $(find "$debs/dl" -name '*.deb' -printf '%f\n' | sort | sed 's/_amd64.deb//; s/%3a/:/' | tr '\n' ' ')"
  fi
  # Wrappers on the daemons' PATH.
  mkdir -p "$bin"
  if needs_iptables; then
    local t lib="$debroot/usr/lib/x86_64-linux-gnu"
    for t in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore conntrack; do
      local target="$debroot/usr/sbin/${t/tables/tables-nft}"
      [[ $t == conntrack ]] && target="$debroot/usr/sbin/conntrack"
      cat >"$bin/$t" <<EOF
#!/bin/sh
# $t from Debian's iptables/conntrack packages unpacked into .cache/cluster/debs.
LD_LIBRARY_PATH="$lib"
XTABLES_LIBDIR="$lib/xtables"
export LD_LIBRARY_PATH XTABLES_LIBDIR
exec "$target" "\$@"
EOF
      chmod +x "$bin/$t"
    done
  fi
}

build_pause() {
  local src="$here/pause/pause.c" out="$build/pause/pause" stamp
  stamp="$(hash_inputs "$src")"
  if [[ -x $out && -f $out.stamp && "$(cat "$out.stamp")" == "$stamp" ]]; then
    outcome="reused ${out#"$repo_root/"}"
    return
  fi
  mkdir -p "$build/pause"
  gcc -static -Os -s -Wall -Wextra -Werror -o "$out.tmp" "$src"
  mv "$out.tmp" "$out"
  echo "$stamp" >"$out.stamp"
  outcome="built ${out#"$repo_root/"} (gcc -static, $(stat -c %s "$out") bytes)"
}

# build_go NAME : builds the Go module e2e/cluster/NAME into .cache/cluster/build/NAME/NAME.
build_go() {
  local name=$1 dir="$here/$1" out="$build/$1/$1" stamp
  stamp="$(
    cd "$dir"
    { go env GOVERSION; hash_inputs go.mod go.sum ./*.go; } | sha256sum | cut -d' ' -f1
  )"
  if [[ -x $out && -f $out.stamp && "$(cat "$out.stamp")" == "$stamp" ]]; then
    outcome="reused ${out#"$repo_root/"}"
    return
  fi
  command -v go >/dev/null || { warn "go is required to build $name"; exit 1; }
  mkdir -p "$build/$name"
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -ldflags '-s -w' -o "$out.tmp" .)
  mv "$out.tmp" "$out"
  echo "$stamp" >"$out.stamp"
  outcome="built ${out#"$repo_root/"} ($(($(stat -c %s "$out") / 1048576)) MiB)"
}
build_coredns() { build_go coredns; }
build_imagetool() { build_go imagetool; }

# make_image NAME REF ROOTFS_FUNCTION IMAGETOOL_ARGS... : .cache/cluster/images/NAME.tar, rebuilt
# only when the tree or the arguments change.
make_image() {
  local name=$1 ref=$2 fill=$3
  shift 3
  local root="$build/rootfs/$name" out="$images/$name.tar" stamp
  rm -rf "$root"
  mkdir -p "$root" "$images"
  "$fill" "$root"
  stamp="$(
    cd "$root"
    {
      echo "$ref $*"
      sha256sum "$build/imagetool/imagetool"
      find . -printf '%p %y %m %l\n' | LC_ALL=C sort
      find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    } | sha256sum | cut -d' ' -f1
  )"
  if [[ -f $out && -f $out.stamp && "$(cat "$out.stamp")" == "$stamp" ]]; then
    outcome="reused ${out#"$repo_root/"} ($ref)"
    return
  fi
  "$build/imagetool/imagetool" -dir "$root" -ref "$ref" -out "$out" "$@"
  echo "$stamp" >"$out.stamp"
  outcome="built ${out#"$repo_root/"} ($ref, $(($(stat -c %s "$out") / 1024)) KiB)"
}

base_tree() { # base_tree ROOT : the directories and account files every image has.
  mkdir -p "$1"/{etc,tmp,dev,proc,sys}
  chmod 1777 "$1/tmp"
  printf 'root:x:0:0:root:/:/sbin/nologin\nwsfleet:x:10001:10001:wsfleet:/tmp:/sbin/nologin\n' >"$1/etc/passwd"
  printf 'root:x:0:\nwsfleet:x:10001:\n' >"$1/etc/group"
}
fill_pause() { mkdir -p "$1"; install -m 0755 "$build/pause/pause" "$1/pause"; }
fill_coredns() { base_tree "$1"; install -m 0755 "$build/coredns/coredns" "$1/coredns"; }
# Debian's redis-server and redis-cli with their shared-library closure, dereferenced, at
# their own paths (the dynamic loader finds them in its built-in directories).
fill_redis() {
  base_tree "$1"
  local exe lib
  for exe in /usr/bin/redis-server /usr/bin/redis-cli; do
    cp -L --parents "$exe" "$1/"
    for lib in $(ldd "$exe" | awk '/=> \//{print $3} /^[ \t]*\//{print $1}'); do
      [[ -e "$1$lib" ]] || cp -L --parents "$lib" "$1/"
    done
  done
}

build_images() {
  local b
  b="$(now_ms)"
  make_image pause "$pause_image" fill_pause -entrypoint /pause -user 10001:10001 \
    -label org.opencontainers.image.title=wsfleet-pause
  say "build: image pause: $outcome ($(fmt_ms $(($(now_ms) - b))))"
  b="$(now_ms)"
  make_image coredns "$coredns_image" fill_coredns -entrypoint /coredns -cmd -conf -cmd /etc/coredns/Corefile \
    -user 10001:10001 -label "org.opencontainers.image.version=$coredns_version"
  say "build: image coredns: $outcome ($(fmt_ms $(($(now_ms) - b))))"
  command -v redis-server >/dev/null || { warn "redis-server is required for the redis image (e2e/setup.sh installs it)"; exit 1; }
  local redis_version
  redis_version="$(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')"
  b="$(now_ms)"
  make_image redis "$redis_image" fill_redis -entrypoint /usr/bin/redis-server -user 10001:10001 \
    -env PATH=/usr/bin:/bin -label "org.opencontainers.image.version=$redis_version" \
    -label "org.opencontainers.image.description=Debian redis-server $redis_version"
  say "build: image redis: $outcome ($(fmt_ms $(($(now_ms) - b))))"
  outcome="$(find "$images" -name '*.tar' | wc -l) images in ${images#"$repo_root/"}"
}

cmd_build() {
  local start
  start="$(now_ms)"
  mkdir -p "$cache" "$build"
  command -v gcc >/dev/null || { warn "gcc is required to build pause"; exit 1; }
  step "node binaries" build_node_binaries
  step "debian packages" build_debs
  step pause build_pause
  step coredns build_coredns
  step imagetool build_imagetool
  step images build_images
  say "build: done in $(fmt_ms $(($(now_ms) - start)))"
}

build_complete() {
  local f
  for f in "$k8s_bin"/{etcd,kube-apiserver,kube-controller-manager,kube-scheduler,kubelet,kube-proxy,kubectl} \
    "$debroot/usr/bin/containerd" "$debroot/usr/sbin/runc" "$debroot/usr/lib/cni/bridge" \
    "$images/pause.tar" "$images/coredns.tar" "$images/redis.tar"; do
    [[ -e $f ]] || return 1
  done
}

# ---------------------------------------------------------------------------------------------
# certificates and kubeconfigs

# sign NAME SUBJECT EXT : pki/NAME.{key,crt} signed by the cluster CA with the extensions EXT.
sign() {
  local name=$1 subject=$2 ext=$3
  openssl genrsa -out "$pki/$name.key" 2048 2>/dev/null
  openssl req -new -key "$pki/$name.key" -subj "$subject" -out "$pki/$name.csr" 2>/dev/null
  printf '%s\n' "$ext" >"$pki/$name.ext"
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -CAserial "$pki/ca.srl" -days 3650 -sha256 -extfile "$pki/$name.ext" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr" "$pki/$name.ext"
}

ensure_pki() {
  local stamp="v1 $node_name $node_ip $api_service_ip"
  if [[ -f "$pki/stamp" && "$(cat "$pki/stamp")" == "$stamp" ]]; then
    say "up: reused certificates in ${pki#"$repo_root/"}"
    return
  fi
  rm -rf "$pki"
  mkdir -p "$pki"
  chmod 700 "$pki"
  openssl genrsa -out "$pki/ca.key" 2048 2>/dev/null
  openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=wsfleet-cluster-ca" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$pki/ca.crt" 2>/dev/null
  local client="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  local server="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth"
  sign apiserver "/CN=kube-apiserver" "$server
subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,DNS:$node_name,IP:$api_service_ip,IP:$node_ip,IP:127.0.0.1"
  sign admin "/O=system:masters/CN=wsfleet-admin" "$client"
  sign apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$client"
  sign controller-manager "/CN=system:kube-controller-manager" "$client"
  sign scheduler "/CN=system:kube-scheduler" "$client"
  sign kubelet "/O=system:nodes/CN=system:node:$node_name" "$client"
  sign kubelet-serving "/O=system:nodes/CN=system:node:$node_name" "$server
subjectAltName=DNS:$node_name,DNS:localhost,IP:$node_ip,IP:127.0.0.1"
  sign kube-proxy "/CN=system:kube-proxy" "$client"
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  echo "$stamp" >"$pki/stamp"
  say "up: generated certificates in ${pki#"$repo_root/"}"
}

# write_kubeconfig FILE USER CERTNAME : a kubeconfig with embedded credentials.
write_kubeconfig() {
  local file=$1 user=$2 cert=$3
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: wsfleet
    cluster:
      server: https://$node_ip:6443
      certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
users:
  - name: $user
    user:
      client-certificate-data: $(base64 -w0 "$pki/$cert.crt")
      client-key-data: $(base64 -w0 "$pki/$cert.key")
contexts:
  - name: wsfleet
    context:
      cluster: wsfleet
      user: $user
current-context: wsfleet
EOF
  chmod 600 "$file"
}

# ---------------------------------------------------------------------------------------------
# configuration files of one run

write_configs() {
  mkdir -p "$logs/pods" "$run"/{etc,etcd,kubelet,cni/net.d,cni/ipam,containerd/root,containerd/state,containerd/opt,runc}
  write_kubeconfig "$kubeconfig" wsfleet-admin admin
  write_kubeconfig "$run/etc/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
  write_kubeconfig "$run/etc/scheduler.kubeconfig" system:kube-scheduler scheduler
  write_kubeconfig "$run/etc/kubelet.kubeconfig" "system:node:$node_name" kubelet
  write_kubeconfig "$run/etc/kube-proxy.kubeconfig" system:kube-proxy kube-proxy

  cat >"$run/etc/containerd.toml" <<EOF
version = 2
root = "$run/containerd/root"
state = "$run/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$containerd_sock"

[plugins."io.containerd.internal.v1.opt"]
  path = "$run/containerd/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_image"
  # No process on this machine may lower an oom_score_adj below 0 (runc would fail).
  restrict_oom_score_adj = true
  disable_apparmor = true
  # Pod network namespaces under containerd's state dir, not /run/netns.
  netns_mounts_under_state_dir = true
  enable_selinux = false
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$debroot/usr/sbin/runc"
        Root = "$run/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$debroot/usr/lib/cni"
    conf_dir = "$run/cni/net.d"
    max_conf_num = 1
EOF

  cat >"$run/cni/net.d/10-wsfleet.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "wsfleet",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$run/cni/ipam",
        "ranges": [[{"subnet": "$pod_cidr"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF

  # Pods get cluster DNS only (ClusterFirst) or nothing (Default): the node has no resolver.
  echo "# wsfleet single-node cluster: no upstream resolver" >"$run/etc/resolv.conf"

  cat >"$run/etc/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$containerd_sock
imageServiceEndpoint: unix://$containerd_sock
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
maxOpenFiles: 20000
clusterDNS: [$dns_ip]
clusterDomain: cluster.local
resolvConf: $run/etc/resolv.conf
address: $node_ip
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $pki/kubelet-serving.crt
tlsPrivateKeyFile: $pki/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization:
  mode: Webhook
podLogsDir: $logs/pods
volumePluginDir: $run/kubelet-plugins/volume/exec
# Never delete the imported images (there is no registry to pull them back from), never
# evict because the disk is nearly full.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 100Mi
  nodefs.available: "0%"
  nodefs.inodesFree: "0%"
  imagefs.available: "0%"
  imagefs.inodesFree: "0%"
evictionPressureTransitionPeriod: 10s
serializeImagePulls: false
registerNode: true
shutdownGracePeriod: 0s
EOF

  cat >"$run/etc/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection:
  kubeconfig: $run/etc/kube-proxy.kubeconfig
hostnameOverride: $node_name
clusterCIDR: $cluster_cidr
detectLocalMode: ClusterCIDR
bindAddress: 0.0.0.0
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: [primary]
# Leave the kernel's conntrack table size and timeouts alone.
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
iptables:
  masqueradeAll: false
  syncPeriod: 30s
  minSyncPeriod: 0s
EOF
}

# ---------------------------------------------------------------------------------------------
# processes

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

# ---------------------------------------------------------------------------------------------
# up

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

# ---------------------------------------------------------------------------------------------
# down

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
