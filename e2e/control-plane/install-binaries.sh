#!/usr/bin/env bash
# Puts kube-apiserver, kube-controller-manager, kubectl and etcd of one pinned
# Kubernetes version into .cache/kube-api-test/k8s/<version>-linux-amd64/, the
# layout Fabric8's kube-api-test reads with KUBE_API_TEST_DIR. Builds them from
# their Go modules when absent; a second run reuses them and takes seconds.
# Official envtest binaries of the same version can be dropped into that folder
# instead (add kube-controller-manager from the Kubernetes server tarball).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=e2e/control-plane/versions.env
source "$repo_root/e2e/control-plane/versions.env"
base_dir="${KUBE_API_TEST_DIR:-$repo_root/.cache/kube-api-test}"
bin_dir="$base_dir/k8s/${K8S_VERSION}-linux-amd64"
work_dir="$base_dir/build"
# The node components (kube-scheduler, kubelet, kube-proxy) serve the single-node cluster.
binaries=(kube-apiserver kube-controller-manager kubectl kube-scheduler kubelet kube-proxy etcd)

all_present() {
  local b
  for b in "${binaries[@]}"; do
    [[ -x "$bin_dir/$b" ]] || return 1
  done
}

if all_present; then
  echo "control-plane: reused binaries in $bin_dir (Kubernetes $K8S_VERSION, etcd $ETCD_VERSION)"
  exit 0
fi

command -v go >/dev/null || { echo "control-plane: go is required to build the binaries" >&2; exit 1; }
mkdir -p "$bin_dir" "$work_dir"
start=$(date +%s)
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false

# k8s.io/kubernetes points each staging module at ./staging; as a dependency
# those paths do not exist, so a helper module replaces each by its published
# v0.<minor>.<patch> release.
build_kubernetes() {
  local dir="$work_dir/kubernetes" staging_version="v0.${K8S_VERSION#1.}"
  mkdir -p "$dir"
  local modfile
  modfile="$(go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')"
  {
    echo "module wsfleet.local/k8sbinaries"
    echo
    echo "go $(sed -n 's/^go \(.*\)/\1/p' "$modfile")"
    echo
    echo "require k8s.io/kubernetes v${K8S_VERSION}"
    echo
    echo "replace ("
    sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\t\1 => \1 '"$staging_version"'#p' "$modfile"
    echo ")"
  } >"$dir/go.mod"
  cat >"$dir/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
GO
  (cd "$dir" && go mod tidy)
  local pkg="k8s.io/component-base/version" cpkg="k8s.io/client-go/pkg/version"
  local minor="${K8S_VERSION#1.}"; minor="${minor%%.*}"
  local ldflags="-s -w"
  local v
  for v in "$pkg" "$cpkg"; do
    ldflags+=" -X $v.gitVersion=v${K8S_VERSION} -X $v.gitMajor=1 -X $v.gitMinor=${minor}"
    ldflags+=" -X $v.gitTreeState=clean -X $v.buildDate=1970-01-01T00:00:00Z"
  done
  local b
  for b in kube-apiserver kube-controller-manager kubectl kube-scheduler kubelet kube-proxy; do
    [[ -x "$bin_dir/$b" ]] && continue
    echo "control-plane: building $b v${K8S_VERSION}"
    (cd "$dir" && go build -tags tools -ldflags "$ldflags" -o "$bin_dir/$b.tmp" "k8s.io/kubernetes/cmd/$b")
    mv "$bin_dir/$b.tmp" "$bin_dir/$b"
  done
}

# etcd's server module is itself the main package; its own replace directives
# are ignored when it is a dependency, so a helper module resolves it cleanly.
build_etcd() {
  [[ -x "$bin_dir/etcd" ]] && return 0
  local dir="$work_dir/etcd"
  mkdir -p "$dir"
  cat >"$dir/go.mod" <<GOMOD
module wsfleet.local/etcdbinary

go 1.24

require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}
GOMOD
  cat >"$dir/tools.go" <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
  (cd "$dir" && go mod tidy)
  echo "control-plane: building etcd v${ETCD_VERSION}"
  (cd "$dir" && go build -tags tools -ldflags "-s -w" -o "$bin_dir/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$bin_dir/etcd.tmp" "$bin_dir/etcd"
}

build_etcd
build_kubernetes
echo "control-plane: built Kubernetes $K8S_VERSION and etcd $ETCD_VERSION into $bin_dir in $(( $(date +%s) - start ))s"
"$bin_dir/kube-apiserver" --version
"$bin_dir/etcd" --version | head -1
