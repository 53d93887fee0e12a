package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Scale-down behaviour: wait out a window, then remove few pods per step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScaleDownRules {

  @Default("" + FleetSettings.DEFAULT_SCALE_DOWN_WINDOW_SECONDS)
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds of recommendations considered before shrinking; the highest in the window wins."
          + " Default "
          + FleetSettings.DEFAULT_SCALE_DOWN_WINDOW_SECONDS
          + ".")
  private Integer stabilizationWindowSeconds;

  @Default("" + FleetSettings.DEFAULT_SCALE_DOWN_MAX_PODS_PER_STEP)
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "Most pods drained within one periodSeconds. Default "
          + FleetSettings.DEFAULT_SCALE_DOWN_MAX_PODS_PER_STEP
          + ".")
  private Integer maxPodsPerStep;

  @Default("" + FleetSettings.DEFAULT_SCALE_DOWN_PERIOD_SECONDS)
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "Length of a step: at most maxPodsPerStep pods start draining within any periodSeconds."
          + " Default "
          + FleetSettings.DEFAULT_SCALE_DOWN_PERIOD_SECONDS
          + ".")
  private Integer periodSeconds;

  public Integer getStabilizationWindowSeconds() {
    return stabilizationWindowSeconds;
  }

  public void setStabilizationWindowSeconds(Integer stabilizationWindowSeconds) {
    this.stabilizationWindowSeconds = stabilizationWindowSeconds;
  }

  public Integer getMaxPodsPerStep() {
    return maxPodsPerStep;
  }

  public void setMaxPodsPerStep(Integer maxPodsPerStep) {
    this.maxPodsPerStep = maxPodsPerStep;
  }

  public Integer getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(Integer periodSeconds) {
    this.periodSeconds = periodSeconds;
  }
}
