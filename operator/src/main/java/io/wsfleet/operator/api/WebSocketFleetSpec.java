package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** What a platform team asks for: the pods, their capacity, scaling, drain, broker, Service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.autoscaling.targetConnectionsPerPod <= self.capacity.maxConnectionsPerPod",
    message =
        "autoscaling.targetConnectionsPerPod must not exceed capacity.maxConnectionsPerPod: lower"
            + " the target or raise the per-pod cap")
@ValidationRule(
    value =
        "self.broker.type == 'Redis' || (self.replicas <= 1 && (!self.autoscaling.enabled"
            + " || self.autoscaling.maxReplicas <= 1))",
    message =
        "a fleet that can run more than one pod needs broker.type: Redis (with"
            + " broker.redis.address) so that messages reach subscribers on every pod; the"
            + " InProcess broker serves a single pod only")
@ValidationRule(
    value =
        "self.capacity.maxConnectionsPerPod <= self.drain.reconnectRatePerSecond"
            + " * self.drain.timeoutSeconds",
    message =
        "drain.timeoutSeconds is too short to drain a full pod at drain.reconnectRatePerSecond:"
            + " raise either so that rate x timeout >= capacity.maxConnectionsPerPod")
public class WebSocketFleetSpec {

  @SpecReplicas
  @Default("" + FleetSettings.DEFAULT_REPLICAS)
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription(
      "Pods to run when autoscaling is disabled; `kubectl scale` sets it. While"
          + " autoscaling.enabled is true the autoscaler writes its decision here, so turning"
          + " autoscaling off keeps the fleet's size; a scale by anyone else meanwhile is"
          + " overwritten and reported as a ScaleIgnored event. Default "
          + FleetSettings.DEFAULT_REPLICAS
          + ".")
  private Integer replicas;

  @Default("{}")
  @JsonPropertyDescription("The server pods: image, resources, env, labels, ports.")
  private FleetPodTemplate template;

  @Default("{}")
  @JsonPropertyDescription("Hard limits every server pod enforces.")
  private CapacitySpec capacity;

  @Default("{}")
  @JsonPropertyDescription("Connection-based autoscaling. Disabled by default.")
  private AutoscalingSpec autoscaling;

  @Default("{}")
  @JsonPropertyDescription("How pods leaving the fleet hand their clients over.")
  private DrainSpec drain;

  @Default("{}")
  @JsonPropertyDescription("How servers share messages and history across pods.")
  private BrokerSpec broker;

  @Default("{}")
  @JsonPropertyDescription("The Service in front of the serving pods.")
  private ServiceSpec service;

  @Default("{}")
  @JsonPropertyDescription("How a change of the pod template replaces running pods.")
  private RolloutSpec rollout;

  @Default("{}")
  @JsonPropertyDescription("The PodDisruptionBudget that paces node drains over the fleet.")
  private DisruptionSpec disruption;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public FleetPodTemplate getTemplate() {
    return template;
  }

  public void setTemplate(FleetPodTemplate template) {
    this.template = template;
  }

  public CapacitySpec getCapacity() {
    return capacity;
  }

  public void setCapacity(CapacitySpec capacity) {
    this.capacity = capacity;
  }

  public AutoscalingSpec getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(AutoscalingSpec autoscaling) {
    this.autoscaling = autoscaling;
  }

  public DrainSpec getDrain() {
    return drain;
  }

  public void setDrain(DrainSpec drain) {
    this.drain = drain;
  }

  public BrokerSpec getBroker() {
    return broker;
  }

  public void setBroker(BrokerSpec broker) {
    this.broker = broker;
  }

  public ServiceSpec getService() {
    return service;
  }

  public void setService(ServiceSpec service) {
    this.service = service;
  }

  public RolloutSpec getRollout() {
    return rollout;
  }

  public void setRollout(RolloutSpec rollout) {
    this.rollout = rollout;
  }

  public DisruptionSpec getDisruption() {
    return disruption;
  }

  public void setDisruption(DisruptionSpec disruption) {
    this.disruption = disruption;
  }
}
