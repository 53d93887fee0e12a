package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.wsfleet.contract.AdminAuth;
import io.wsfleet.contract.AdminPaths;
import io.wsfleet.contract.Settings;
import io.wsfleet.operator.api.BrokerSpec;
import io.wsfleet.operator.api.FleetPodTemplate;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.RedisSpec;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.drain.AdminEndpoint;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds a fleet's server pod from its spec: the operator owns everything but the template. */
public final class PodFactory {

  static final String CONTAINER = "ws-node";

  /** Name of the server container's client port, which the Service targets. */
  public static final String CLIENT_PORT_NAME = "ws";

  /** Where a server pod mounts its admin-token Secret. */
  public static final String TOKEN_DIR = AdminAuth.TOKEN_DIR;

  private static final long NON_ROOT_UID = 10001;
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private PodFactory() {}

  /** A new serving pod with a random name suffix, owned by the fleet. */
  public static Pod newPod(WebSocketFleet fleet, String replaces) {
    String name = fleet.getMetadata().getName() + "-" + suffix();
    Map<String, String> labels = new LinkedHashMap<>(FleetLabels.of(fleet));
    labels.put(FleetLabels.STATE, FleetLabels.SERVING);
    labels.put(FleetLabels.TEMPLATE_HASH, TemplateHashes.template(fleet));
    Map<String, String> annotations = new LinkedHashMap<>();
    if (replaces != null) {
      annotations.put(FleetLabels.REPLACES, replaces);
    }
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(fleet.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(annotations)
            .endMetadata()
            .withSpec(podSpec(fleet))
            .build();
    applyTemplateMetadata(fleet, pod);
    pod.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(fleet.getApiVersion())
                    .withKind(fleet.getKind())
                    .withName(fleet.getMetadata().getName())
                    .withUid(fleet.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build()));
    return pod;
  }

  /**
   * Puts the template's labels and annotations on {@code pod}, in place: removes the ones an older
   * template put there and records which keys came from the template, and under which hash.
   */
  static Pod applyTemplateMetadata(WebSocketFleet fleet, Pod pod) {
    FleetPodTemplate template =
        Optional.ofNullable(fleet.getSpec().getTemplate()).orElseGet(FleetPodTemplate::new);
    Map<String, String> labels = mutable(pod.getMetadata().getLabels());
    Map<String, String> annotations = mutable(pod.getMetadata().getAnnotations());
    String previous = annotations.getOrDefault(FleetLabels.TEMPLATE_KEYS, "");
    for (String key : previous.split(",")) {
      if (key.startsWith("l:")) {
        labels.remove(key.substring(2));
      } else if (key.startsWith("a:")) {
        annotations.remove(key.substring(2));
      }
    }
    List<String> keys = new ArrayList<>();
    Optional.ofNullable(template.getLabels())
        .ifPresent(
            l ->
                l.forEach(
                    (k, v) -> {
                      if (!k.startsWith("wsfleet.io/") && !FleetLabels.MANAGED_BY.equals(k)) {
                        labels.put(k, v);
                        keys.add("l:" + k);
                      }
                    }));
    Optional.ofNullable(template.getAnnotations())
        .ifPresent(
            a ->
                a.forEach(
                    (k, v) -> {
                      if (!k.startsWith("wsfleet.io/")) {
                        annotations.put(k, v);
                        keys.add("a:" + k);
                      }
                    }));
    annotations.put(FleetLabels.TEMPLATE_KEYS, String.join(",", keys));
    annotations.put(FleetLabels.METADATA_HASH, TemplateHashes.metadata(fleet));
    pod.getMetadata().setLabels(labels);
    pod.getMetadata().setAnnotations(annotations);
    return pod;
  }

  static String pullPolicy(FleetPodTemplate template) {
    return template.getImagePullPolicy() == null
        ? FleetSettings.DEFAULT_IMAGE_PULL_POLICY
        : template.getImagePullPolicy().name();
  }

  private static Map<String, String> mutable(Map<String, String> map) {
    return map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
  }

  static PodSpec podSpec(WebSocketFleet fleet) {
    FleetPodTemplate template =
        Optional.ofNullable(fleet.getSpec().getTemplate()).orElseGet(FleetPodTemplate::new);
    int drainTimeout = FleetSettings.drainTimeoutSeconds(fleet);
    return new PodSpecBuilder()
        .withContainers(container(fleet, template))
        .withTerminationGracePeriodSeconds((long) drainTimeout)
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withNodeSelector(template.getNodeSelector())
        .withTolerations(template.getTolerations())
        .withPriorityClassName(template.getPriorityClassName())
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(NON_ROOT_UID)
        .withRunAsGroup(NON_ROOT_UID)
        .withFsGroup(NON_ROOT_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewVolume()
        .withName("admin-token")
        .withNewSecret()
        .withSecretName(FleetLabels.secretName(fleet))
        .withDefaultMode(0440)
        .endSecret()
        .endVolume()
        .addNewVolume()
        // The root filesystem is read-only; the JVM still wants a writable /tmp.
        .withName("tmp")
        .withNewEmptyDir()
        .withMedium("Memory")
        .endEmptyDir()
        .endVolume()
        .build();
  }

  private static Container container(WebSocketFleet fleet, FleetPodTemplate template) {
    int clientPort = FleetSettings.clientPort(fleet);
    int adminPort = FleetSettings.adminPort(fleet);
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(Optional.ofNullable(template.getImage()).orElse(FleetSettings.DEFAULT_IMAGE))
        .withImagePullPolicy(pullPolicy(template))
        .withResources(template.getResources())
        .addNewPort()
        .withName(CLIENT_PORT_NAME)
        .withContainerPort(clientPort)
        .endPort()
        .addNewPort()
        .withName(AdminEndpoint.PORT_NAME)
        .withContainerPort(adminPort)
        .endPort()
        .withEnv(env(fleet, template, clientPort, adminPort))
        .withReadinessProbe(probe(AdminPaths.HEALTH_READY, adminPort, 2))
        .withLivenessProbe(probe(AdminPaths.HEALTH_LIVE, adminPort, 10))
        .addNewVolumeMount()
        .withName("admin-token")
        .withMountPath(TOKEN_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .withNewSecurityContext()
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .build();
  }

  private static List<EnvVar> env(
      WebSocketFleet fleet, FleetPodTemplate template, int clientPort, int adminPort) {
    Map<String, EnvVar> env = new LinkedHashMap<>();
    put(env, Settings.CLIENT_PORT, clientPort);
    put(env, Settings.ADMIN_PORT, adminPort);
    put(env, Settings.MAX_CONNECTIONS, FleetSettings.maxConnectionsPerPod(fleet));
    put(env, Settings.ADMIN_TOKEN_FILE, AdminAuth.TOKEN_FILE);
    put(env, Settings.SHUTDOWN_GRACE_SECONDS, FleetSettings.drainTimeoutSeconds(fleet));
    put(env, Settings.RECONNECT_DELAY_MAX_MILLIS, FleetSettings.reconnectDelayMaxMillis(fleet));
    BrokerSpec broker = fleet.getSpec().getBroker();
    if (broker != null) {
      if (broker.getHistoryMaxEntries() != null) {
        put(env, Settings.HISTORY_MAX_ENTRIES, broker.getHistoryMaxEntries());
      }
      RedisSpec redis = broker.getRedis();
      if (broker.getType() == BrokerSpec.BrokerType.Redis && redis != null) {
        put(env, Settings.REDIS_ADDRESS, redis.getAddress());
        put(
            env,
            Settings.REDIS_DATABASE,
            Optional.ofNullable(redis.getDatabase()).orElse(FleetSettings.DEFAULT_REDIS_DATABASE));
        if (redis.getPasswordSecretRef() != null) {
          env.put(
              Settings.REDIS_PASSWORD.envName(),
              new EnvVarBuilder()
                  .withName(Settings.REDIS_PASSWORD.envName())
                  .withNewValueFrom()
                  .withSecretKeyRef(redis.getPasswordSecretRef())
                  .endValueFrom()
                  .build());
        }
      }
    }
    if (template.getEnv() != null) {
      template.getEnv().forEach(e -> env.put(e.getName(), e));
    }
    return new ArrayList<>(env.values());
  }

  private static void put(Map<String, EnvVar> env, Settings setting, int value) {
    put(env, setting, Integer.toString(value));
  }

  private static void put(Map<String, EnvVar> env, Settings setting, String value) {
    env.put(setting.envName(), new EnvVar(setting.envName(), value, null));
  }

  private static Probe probe(String path, int port, int periodSeconds) {
    return new ProbeBuilder()
        .withHttpGet(
            new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString(port)).build())
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(3)
        .build();
  }

  private static String suffix() {
    StringBuilder s = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
