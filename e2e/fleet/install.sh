#!/usr/bin/env bash
# Installs wsfleet the way README's quick start tells a user, with whatever kubectl command
# reaches the cluster (the local cluster's, or plain kubectl for Kind):
#
#   bash e2e/fleet/install.sh bash e2e/cluster/cluster.sh kubectl
#   bash e2e/fleet/install.sh kubectl --context kind-wsfleet
#
# The CRD and the operator (namespace, RBAC, 2-replica Deployment), then the demo Redis; it waits
# until both run. The fleet itself comes after, from manifests/sample-fleet.yaml.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
(($#)) || { echo "usage: e2e/fleet/install.sh KUBECTL-COMMAND..." >&2; exit 2; }
kubectl=("$@")

"${kubectl[@]}" apply -f crds/ -f manifests/operator/
"${kubectl[@]}" apply -f manifests/redis/
"${kubectl[@]}" -n wsfleet-system rollout status deployment/wsfleet-operator --timeout=240s
"${kubectl[@]}" -n messaging rollout status deployment/redis --timeout=120s
