# shellcheck shell=bash
# Building the cluster's parts: node binaries, Debian packages, pause, CoreDNS, images.
# Sourced by e2e/cluster/cluster.sh, whose settings and helpers it uses.

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
