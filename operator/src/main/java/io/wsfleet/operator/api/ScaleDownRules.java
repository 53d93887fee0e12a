package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Scale-down behaviour: wait out a window, then remove few pods per step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScaleDownRules {

  @Default("300")
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds of recommendations considered before shrinking; the highest in the window wins."
          + " Default 300.")
  private Integer stabilizationWindowSeconds;

  @Default("1")
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Most pods drained within one periodSeconds. Default 1.")
  private Integer maxPodsPerStep;

  @Default("60")
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "Length of a step: at most maxPodsPerStep pods start draining within any periodSeconds."
          + " Default 60.")
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
