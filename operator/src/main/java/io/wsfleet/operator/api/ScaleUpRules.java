package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Scale-up behaviour: react at once by default, a bounded number of pods per step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScaleUpRules {

  @Default("" + FleetSettings.DEFAULT_SCALE_UP_WINDOW_SECONDS)
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds of recommendations considered before growing; the lowest in the window wins."
          + " Default "
          + FleetSettings.DEFAULT_SCALE_UP_WINDOW_SECONDS
          + " (grow at once).")
  private Integer stabilizationWindowSeconds;

  @Default("" + FleetSettings.DEFAULT_SCALE_UP_MAX_PODS_PER_STEP)
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "Most pods added within one periodSeconds. Default "
          + FleetSettings.DEFAULT_SCALE_UP_MAX_PODS_PER_STEP
          + ".")
  private Integer maxPodsPerStep;

  @Default("" + FleetSettings.DEFAULT_SCALE_UP_PERIOD_SECONDS)
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "Length of a step: at most maxPodsPerStep pods are added within any periodSeconds."
          + " Default "
          + FleetSettings.DEFAULT_SCALE_UP_PERIOD_SECONDS
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
