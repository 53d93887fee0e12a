package io.wsfleet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.config.NodeConfig;
import io.wsfleet.operator.crd.CrdGeneration;
import io.wsfleet.operator.policy.ScalingSettings;
import io.wsfleet.operator.reconciler.FleetService;
import io.wsfleet.operator.reconciler.PodFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Ties every default of the fleet spec together: the CRD's schema default (crds/), what the field's
 * description and README's prose say it is, and what the operator (and the ws-node it configures)
 * actually uses when the field is absent, as in a fleet built in Java that no API server defaulted.
 */
class FleetDefaultsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern STATED_IN_DESCRIPTION =
      Pattern.compile("Default (\\S+?)[.]?(?:\\s|$)|(\\S+) \\(default");
  private static final Pattern STATED_IN_README =
      Pattern.compile("`([\\w.]+)`\\s+\\(default\\s+(?:`([^`]+)`|([^\\s:;,)]+))");

  private final Path repo = ControlPlane.repoRoot();

  @Test
  void everyDefaultIsStatedInItsDescription() throws IOException {
    Map<String, JsonNode> fields = defaultedFields();
    List<String> wrong = new ArrayList<>();
    fields.forEach(
        (path, field) -> {
          String description = field.path("description").asText();
          Matcher m = STATED_IN_DESCRIPTION.matcher(description);
          String stated = m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
          String actual = field.get("default").asText();
          if (!actual.equals(stated)) {
            wrong.add(path + ": CRD default " + actual + ", description says " + stated);
          }
        });
    assertThat(wrong).isEmpty();
  }

  @Test
  void everyDefaultIsWhatTheOperatorUsesWhenTheFieldIsAbsent() throws IOException {
    Map<String, JsonNode> fields = defaultedFields();
    Map<String, List<Object>> used = usedWhenAbsent();
    assertThat(used.keySet())
        .as("every CRD default has a row here, and every row a CRD default")
        .containsExactlyInAnyOrderElementsOf(fields.keySet());
    List<String> wrong = new ArrayList<>();
    used.forEach(
        (path, values) -> {
          String crd = fields.get(path).get("default").asText();
          for (Object value : values) {
            if (!crd.equals(String.valueOf(value))) {
              wrong.add(path + ": CRD default " + crd + ", Java uses " + value);
            }
          }
        });
    assertThat(wrong).isEmpty();
  }

  @Test
  void readmeStatesTheCrdDefaults() throws IOException {
    Map<String, JsonNode> fields = defaultedFields();
    Matcher m = STATED_IN_README.matcher(Files.readString(repo.resolve("README.md")));
    List<String> wrong = new ArrayList<>();
    int found = 0;
    while (m.find()) {
      String name = m.group(1);
      String stated = m.group(2) != null ? m.group(2) : m.group(3);
      List<String> matches =
          fields.keySet().stream().filter(p -> p.equals(name) || p.endsWith("." + name)).toList();
      if (matches.size() != 1) {
        wrong.add("README names `" + name + "` (default " + stated + "): fields " + matches);
        continue;
      }
      found++;
      String crd = fields.get(matches.get(0)).get("default").asText();
      if (!crd.equals(stated)) {
        wrong.add("README: `" + name + "` (default " + stated + "), CRD default " + crd);
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(found).as("README's prose states some defaults").isPositive();
  }

  /**
   * For each defaulted field, the values the code uses when the field is absent: the operator's own
   * readers and what it puts into the Service and the pods (and what ws-node does with those).
   */
  private static Map<String, List<Object>> usedWhenAbsent() {
    WebSocketFleet fleet = emptyFleet();
    ScalingSettings s = ScalingSettings.from(fleet.getSpec());
    Container container = PodFactory.newPod(fleet, null).getSpec().getContainers().get(0);
    Map<String, String> env = env(container);
    WebSocketFleet redisFleet = emptyFleet();
    BrokerSpec broker = new BrokerSpec();
    broker.setType(BrokerSpec.BrokerType.Redis);
    RedisSpec redis = new RedisSpec();
    redis.setAddress("redis:6379");
    broker.setRedis(redis);
    redisFleet.getSpec().setBroker(broker);
    Map<String, String> redisEnv =
        env(PodFactory.newPod(redisFleet, null).getSpec().getContainers().get(0));
    Service service = new ServiceOf().desired(fleet);
    NodeConfig node = NodeConfig.defaults();

    Map<String, List<Object>> used = new LinkedHashMap<>();
    used.put("spec.replicas", List.of(s.replicas()));
    used.put("spec.template.image", List.of(container.getImage()));
    used.put("spec.template.imagePullPolicy", List.of(container.getImagePullPolicy()));
    used.put(
        "spec.template.clientPort",
        List.of(FleetSettings.clientPort(fleet), env.get("WSNODE_CLIENT_PORT")));
    used.put(
        "spec.template.adminPort",
        List.of(FleetSettings.adminPort(fleet), env.get("WSNODE_ADMIN_PORT")));
    used.put(
        "spec.capacity.maxConnectionsPerPod",
        List.of(
            s.maxPerPod(),
            FleetSettings.maxConnectionsPerPod(fleet),
            env.get("WSNODE_MAX_CONNECTIONS")));
    used.put("spec.autoscaling.enabled", List.of(s.enabled()));
    used.put("spec.autoscaling.minReplicas", List.of(s.minReplicas()));
    used.put("spec.autoscaling.maxReplicas", List.of(s.maxReplicas()));
    used.put("spec.autoscaling.targetConnectionsPerPod", List.of(s.targetPerPod()));
    used.put("spec.autoscaling.tolerancePercent", List.of(s.tolerancePercent()));
    used.put(
        "spec.autoscaling.scrapeIntervalSeconds",
        List.of(FleetSettings.scrapeInterval(fleet).toSeconds()));
    used.put(
        "spec.autoscaling.scaleUp.stabilizationWindowSeconds", List.of(s.upWindow().toSeconds()));
    used.put("spec.autoscaling.scaleUp.maxPodsPerStep", List.of(s.upMaxPodsPerStep()));
    used.put("spec.autoscaling.scaleUp.periodSeconds", List.of(s.upPeriod().toSeconds()));
    used.put(
        "spec.autoscaling.scaleDown.stabilizationWindowSeconds",
        List.of(s.downWindow().toSeconds()));
    used.put("spec.autoscaling.scaleDown.maxPodsPerStep", List.of(s.downMaxPodsPerStep()));
    used.put("spec.autoscaling.scaleDown.periodSeconds", List.of(s.downPeriod().toSeconds()));
    used.put("spec.autoscaling.panic.capThresholdPercent", List.of(s.panicCapPercent()));
    used.put("spec.autoscaling.panic.targetThresholdPercent", List.of(s.panicTargetPercent()));
    used.put("spec.autoscaling.panic.windowSeconds", List.of(s.panicWindow().toSeconds()));
    used.put("spec.autoscaling.rebalance.enabled", List.of(s.rebalanceEnabled()));
    used.put("spec.autoscaling.rebalance.thresholdPercent", List.of(s.rebalanceThresholdPercent()));
    used.put("spec.drain.reconnectRatePerSecond", List.of(FleetSettings.drainRatePerSecond(fleet)));
    used.put(
        "spec.drain.timeoutSeconds",
        List.of(
            FleetSettings.drainTimeoutSeconds(fleet),
            env.get("WSNODE_SHUTDOWN_GRACE_SECONDS"),
            PodFactory.newPod(fleet, null).getSpec().getTerminationGracePeriodSeconds()));
    used.put(
        "spec.drain.reconnectDelayMaxMillis",
        List.of(
            FleetSettings.reconnectDelayMaxMillis(fleet),
            env.get("WSNODE_RECONNECT_DELAY_MAX_MILLIS")));
    used.put("spec.drain.podSelection", List.of(s.podSelection().name()));
    used.put(
        "spec.drain.maxConcurrent",
        List.of(s.maxConcurrentDrains(), FleetSettings.maxConcurrentDrains(fleet)));
    // No Redis address in the pod: ws-node runs its in-process broker.
    used.put(
        "spec.broker.type",
        List.of(env.containsKey("WSNODE_REDIS_ADDRESS") ? "Redis" : "InProcess"));
    // Not passed when absent: ws-node's own default applies.
    used.put(
        "spec.broker.historyMaxEntries",
        List.of(env.getOrDefault("WSNODE_HISTORY_MAX_ENTRIES", "" + node.historyMaxEntries())));
    used.put("spec.broker.redis.database", List.of(redisEnv.get("WSNODE_REDIS_DATABASE")));
    used.put("spec.service.type", List.of(service.getSpec().getType()));
    used.put("spec.service.port", List.of(service.getSpec().getPorts().get(0).getPort()));
    used.put("spec.rollout.maxSurge", List.of(FleetSettings.maxSurge(fleet)));
    used.put("spec.rollout.minReadySeconds", List.of(FleetSettings.minReadySeconds(fleet)));
    used.put(
        "spec.rollout.progressDeadlineSeconds",
        List.of(FleetSettings.progressDeadlineSeconds(fleet)));
    used.put(
        "spec.capacity.replaceUnreadyAfterSeconds",
        List.of(FleetSettings.replaceUnreadyAfterSeconds(fleet)));
    used.put("spec.disruption.maxUnavailable", List.of(FleetSettings.maxUnavailable(fleet)));
    return used;
  }

  /** The fleet's Service, built by the operator's own dependent resource. */
  private static final class ServiceOf extends FleetService {
    Service desired(WebSocketFleet fleet) {
      return desired(fleet, null);
    }
  }

  /** `spec: {}` as a user may write it, with nothing defaulted. */
  private static WebSocketFleet emptyFleet() {
    WebSocketFleet fleet = new WebSocketFleet();
    fleet.setMetadata(
        new ObjectMetaBuilder().withName("defaults").withNamespace("ns").withUid("u").build());
    fleet.setSpec(new WebSocketFleetSpec());
    return fleet;
  }

  private static Map<String, String> env(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      }
    }
    return env;
  }

  /** spec's fields with a scalar schema default, by path (spec.drain.timeoutSeconds). */
  private Map<String, JsonNode> defaultedFields() throws IOException {
    JsonNode crd = YAML.readTree(repo.resolve("crds").resolve(CrdGeneration.CRD_FILE).toFile());
    JsonNode spec = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    collect("spec", spec, fields);
    assertThat(fields).as("defaults found in the CRD").hasSizeGreaterThan(20);
    return fields;
  }

  private static void collect(String path, JsonNode node, Map<String, JsonNode> into) {
    node.path("properties")
        .fields()
        .forEachRemaining(
            e -> {
              String child = path + "." + e.getKey();
              JsonNode value = e.getValue().get("default");
              if (value != null && value.isValueNode()) {
                into.put(child, e.getValue());
              }
              collect(child, e.getValue(), into);
            });
  }
}
