# shellcheck shell=bash
# Certificates, kubeconfigs and the configuration files of one run.
# Sourced by e2e/cluster/cluster.sh, whose settings and helpers it uses.

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
