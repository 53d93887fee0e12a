package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Connection-based autoscaling: how many pods, how fast up, how carefully down. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <="
            + " self.maxReplicas",
    message = "autoscaling.minReplicas must be less than or equal to autoscaling.maxReplicas")
public class AutoscalingSpec {

  @Default("" + FleetSettings.DEFAULT_AUTOSCALING_ENABLED)
  @JsonPropertyDescription(
      "Scale on connections; the autoscaler then keeps spec.replicas equal to its decision."
          + " When false, spec.replicas (and `kubectl scale`) decides, starting from the size"
          + " the autoscaler left. Default "
          + FleetSettings.DEFAULT_AUTOSCALING_ENABLED
          + ".")
  private Boolean enabled;

  @Default("" + FleetSettings.DEFAULT_MIN_REPLICAS)
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "Fewest serving pods the autoscaler keeps. Default "
          + FleetSettings.DEFAULT_MIN_REPLICAS
          + ".")
  private Integer minReplicas;

  @Default("" + FleetSettings.DEFAULT_MAX_REPLICAS)
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "Most pods the autoscaler runs. Default " + FleetSettings.DEFAULT_MAX_REPLICAS + ".")
  private Integer maxReplicas;

  @Default("" + FleetSettings.DEFAULT_TARGET_CONNECTIONS_PER_POD)
  @Min(1)
  @Max(1000000)
  @JsonPropertyDescription(
      "Connections per serving pod the autoscaler aims for: desired pods ="
          + " ceil(connections / target). At most capacity.maxConnectionsPerPod. Default "
          + FleetSettings.DEFAULT_TARGET_CONNECTIONS_PER_POD
          + ".")
  private Integer targetConnectionsPerPod;

  @Default("" + FleetSettings.DEFAULT_TOLERANCE_PERCENT)
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Load within this percentage of the target causes no scaling, so small swings do not"
          + " churn pods. Default "
          + FleetSettings.DEFAULT_TOLERANCE_PERCENT
          + ".")
  private Integer tolerancePercent;

  @Default("" + FleetSettings.DEFAULT_SCRAPE_INTERVAL_SECONDS)
  @Min(1)
  @Max(300)
  @JsonPropertyDescription(
      "Seconds between two scrapes of every pod's metrics. Default "
          + FleetSettings.DEFAULT_SCRAPE_INTERVAL_SECONDS
          + ".")
  private Integer scrapeIntervalSeconds;

  @Default("{}")
  @JsonPropertyDescription("How fast the fleet grows.")
  private ScaleUpRules scaleUp;

  @Default("{}")
  @JsonPropertyDescription("How carefully the fleet shrinks.")
  private ScaleDownRules scaleDown;

  @Default("{}")
  @JsonPropertyDescription("Emergency scale-up when pods approach their cap.")
  private PanicSpec panic;

  @Default("{}")
  @JsonPropertyDescription("Moving clients off hot pods after a scale-up.")
  private RebalanceSpec rebalance;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public Integer getTargetConnectionsPerPod() {
    return targetConnectionsPerPod;
  }

  public void setTargetConnectionsPerPod(Integer targetConnectionsPerPod) {
    this.targetConnectionsPerPod = targetConnectionsPerPod;
  }

  public Integer getTolerancePercent() {
    return tolerancePercent;
  }

  public void setTolerancePercent(Integer tolerancePercent) {
    this.tolerancePercent = tolerancePercent;
  }

  public Integer getScrapeIntervalSeconds() {
    return scrapeIntervalSeconds;
  }

  public void setScrapeIntervalSeconds(Integer scrapeIntervalSeconds) {
    this.scrapeIntervalSeconds = scrapeIntervalSeconds;
  }

  public ScaleUpRules getScaleUp() {
    return scaleUp;
  }

  public void setScaleUp(ScaleUpRules scaleUp) {
    this.scaleUp = scaleUp;
  }

  public ScaleDownRules getScaleDown() {
    return scaleDown;
  }

  public void setScaleDown(ScaleDownRules scaleDown) {
    this.scaleDown = scaleDown;
  }

  public PanicSpec getPanic() {
    return panic;
  }

  public void setPanic(PanicSpec panic) {
    this.panic = panic;
  }

  public RebalanceSpec getRebalance() {
    return rebalance;
  }

  public void setRebalance(RebalanceSpec rebalance) {
    this.rebalance = rebalance;
  }
}
