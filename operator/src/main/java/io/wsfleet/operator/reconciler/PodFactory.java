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
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wsfleet.operator.api.BrokerSpec;
import io.wsfleet.operator.api.FleetPodTemplate;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.RedisSpec;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.drain.AdminEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
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
  public static final String TOKEN_DIR = "/var/run/wsfleet/admin-token";

  private static final long NON_ROOT_UID = 10001;
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private PodFactory() {}

  /** A new serving pod with a random name suffix, owned by the fleet. */
  public static Pod newPod(WebSocketFleet fleet, String replaces) {
    String name = fleet.getMetadata().getName() + "-" + suffix();
    FleetPodTemplate template =
        Optional.ofNullable(fleet.getSpec().getTemplate()).orElseGet(FleetPodTemplate::new);
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getLabels() != null) {
      labels.putAll(template.getLabels());
    }
    labels.putAll(FleetLabels.of(fleet));
    labels.put(FleetLabels.STATE, FleetLabels.SERVING);
    labels.put(FleetLabels.TEMPLATE_HASH, templateHash(fleet));
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template.getAnnotations() != null) {
      annotations.putAll(template.getAnnotations());
    }
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

  /** Short hash of everything in a pod that comes from the spec; a change rolls the fleet. */
  public static String templateHash(WebSocketFleet fleet) {
    FleetPodTemplate template =
        Optional.ofNullable(fleet.getSpec().getTemplate()).orElseGet(FleetPodTemplate::new);
    String source =
        Serialization.asJson(podSpec(fleet))
            + Serialization.asJson(Optional.ofNullable(template.getLabels()).orElse(Map.of()))
            + Serialization.asJson(Optional.ofNullable(template.getAnnotations()).orElse(Map.of()));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
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
        .withImagePullPolicy(
            template.getImagePullPolicy() == null
                ? "IfNotPresent"
                : template.getImagePullPolicy().name())
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
        .withReadinessProbe(probe("/health/ready", adminPort, 2))
        .withLivenessProbe(probe("/health/live", adminPort, 10))
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
    put(env, "WSNODE_CLIENT_PORT", clientPort);
    put(env, "WSNODE_ADMIN_PORT", adminPort);
    put(env, "WSNODE_MAX_CONNECTIONS", FleetSettings.maxConnectionsPerPod(fleet));
    put(env, "WSNODE_ADMIN_TOKEN_FILE", TOKEN_DIR + "/" + FleetLabels.TOKEN_KEY);
    put(env, "WSNODE_SHUTDOWN_GRACE_SECONDS", FleetSettings.drainTimeoutSeconds(fleet));
    put(env, "WSNODE_RECONNECT_DELAY_MAX_MILLIS", FleetSettings.reconnectDelayMaxMillis(fleet));
    BrokerSpec broker = fleet.getSpec().getBroker();
    if (broker != null) {
      if (broker.getHistoryMaxEntries() != null) {
        put(env, "WSNODE_HISTORY_MAX_ENTRIES", broker.getHistoryMaxEntries());
      }
      RedisSpec redis = broker.getRedis();
      if (broker.getType() == BrokerSpec.BrokerType.Redis && redis != null) {
        env.put(
            "WSNODE_REDIS_ADDRESS", new EnvVar("WSNODE_REDIS_ADDRESS", redis.getAddress(), null));
        put(env, "WSNODE_REDIS_DATABASE", Optional.ofNullable(redis.getDatabase()).orElse(0));
        if (redis.getPasswordSecretRef() != null) {
          env.put(
              "WSNODE_REDIS_PASSWORD",
              new EnvVarBuilder()
                  .withName("WSNODE_REDIS_PASSWORD")
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

  private static void put(Map<String, EnvVar> env, String name, int value) {
    put(env, name, Integer.toString(value));
  }

  private static void put(Map<String, EnvVar> env, String name, String value) {
    env.put(name, new EnvVar(name, value, null));
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
