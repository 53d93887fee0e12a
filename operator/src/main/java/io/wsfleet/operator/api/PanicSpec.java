package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Panic mode, as in Knative's autoscaler: grow at once and never shrink while it lasts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PanicSpec {

  @Default("" + FleetSettings.DEFAULT_PANIC_CAP_THRESHOLD_PERCENT)
  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Panic when any serving pod holds this percentage of capacity.maxConnectionsPerPod."
          + " Default "
          + FleetSettings.DEFAULT_PANIC_CAP_THRESHOLD_PERCENT
          + ".")
  private Integer capThresholdPercent;

  @Default("" + FleetSettings.DEFAULT_PANIC_TARGET_THRESHOLD_PERCENT)
  @Min(101)
  @Max(1000)
  @JsonPropertyDescription(
      "Panic when the fleet's average per serving pod reaches this percentage of"
          + " targetConnectionsPerPod. Default "
          + FleetSettings.DEFAULT_PANIC_TARGET_THRESHOLD_PERCENT
          + ".")
  private Integer targetThresholdPercent;

  @Default("" + FleetSettings.DEFAULT_PANIC_WINDOW_SECONDS)
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds panic mode lasts after its last trigger; no scale-down meanwhile. Default "
          + FleetSettings.DEFAULT_PANIC_WINDOW_SECONDS
          + ".")
  private Integer windowSeconds;

  public Integer getCapThresholdPercent() {
    return capThresholdPercent;
  }

  public void setCapThresholdPercent(Integer capThresholdPercent) {
    this.capThresholdPercent = capThresholdPercent;
  }

  public Integer getTargetThresholdPercent() {
    return targetThresholdPercent;
  }

  public void setTargetThresholdPercent(Integer targetThresholdPercent) {
    this.targetThresholdPercent = targetThresholdPercent;
  }

  public Integer getWindowSeconds() {
    return windowSeconds;
  }

  public void setWindowSeconds(Integer windowSeconds) {
    this.windowSeconds = windowSeconds;
  }
}
