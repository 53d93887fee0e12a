#!/usr/bin/env bash
# The main job's scenario on a Kind cluster, for anyone with Docker. NOT exercised where wsfleet is
# developed (that machine has no Docker engine): it is linted there, and everything it runs after
# creating the cluster is what the local cluster's run uses (e2e/fleet/install.sh, FleetScenario).
#
#   bash e2e/kind/run.sh [FleetScenario flags, e.g. --profile "ramp 2000 60, hold 30, ramp 400 30, hold 60"]
#
# Needs kind, kubectl, Docker, and root (or sudo) for two host routes: the scenario reaches the
# fleet's Service and pods directly, as it does inside the local cluster's namespace, through routes
# to the service and pod ranges via the Kind node. The routes and the cluster are removed on exit.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

name="${WSFLEET_KIND_NAME:-wsfleet}"
node="${name}-control-plane"
service_range=10.96.0.0/16
pod_range=10.244.0.0/16
kubeconfig="$repo_root/e2e/target/kind/kubeconfig"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)

for tool in kind kubectl docker java; do
  command -v "$tool" >/dev/null || { echo "kind: $tool is required" >&2; exit 2; }
done

images=(operator/target/jib-image.tar ws-node/target/jib-image.tar .cache/cluster/images/redis.tar)
[[ -f operator/target/jib-image.tar && -f e2e/target/wsfleet-e2e.jar ]] || mvn -B -q -DskipTests package
[[ -f .cache/cluster/images/redis.tar ]] || bash e2e/cluster/cluster.sh build

node_ip=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  local status=$?
  trap - EXIT
  if [[ -n "$node_ip" ]]; then
    "${sudo_cmd[@]}" ip route del "$service_range" via "$node_ip" 2>/dev/null || true
    "${sudo_cmd[@]}" ip route del "$pod_range" via "$node_ip" 2>/dev/null || true
  fi
  kind delete cluster --name "$name" || true
  exit "$status"
}
trap cleanup EXIT

mkdir -p "$(dirname "$kubeconfig")"
kind create cluster --name "$name" --kubeconfig "$kubeconfig" --wait 120s --config - <<YAML
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  podSubnet: $pod_range
  serviceSubnet: $service_range
YAML
for image in "${images[@]}"; do
  kind load image-archive "$image" --name "$name"
done
node_ip="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$node")"
"${sudo_cmd[@]}" ip route add "$service_range" via "$node_ip"
"${sudo_cmd[@]}" ip route add "$pod_range" via "$node_ip"

bash e2e/fleet/install.sh kubectl --kubeconfig "$kubeconfig"
java -Xmx768m -Dwsfleet.repoRoot="$repo_root" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp e2e/target/wsfleet-e2e.jar io.wsfleet.e2e.fleet.FleetScenario \
  --kubeconfig "$kubeconfig" --kubectl kubectl --out e2e/target/kind-fleet \
  --ctr "docker exec $node ctr -n k8s.io" --node-exec "docker exec $node" "$@"
