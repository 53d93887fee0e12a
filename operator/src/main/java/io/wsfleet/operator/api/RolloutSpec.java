package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Drain-aware rollout of a new pod template: new pods first, then old ones drained. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutSpec {

  @Default("" + FleetSettings.DEFAULT_MAX_SURGE)
  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "New pods started ahead of the old ones they replace; old pods are drained as many at a"
          + " time. Default "
          + FleetSettings.DEFAULT_MAX_SURGE
          + ".")
  private Integer maxSurge;

  @Default("" + FleetSettings.DEFAULT_MIN_READY_SECONDS)
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds a new pod must stay ready before it counts as available and the old pod it"
          + " replaces starts draining; a pod that crashes sooner halts the rollout. Default "
          + FleetSettings.DEFAULT_MIN_READY_SECONDS
          + ".")
  private Integer minReadySeconds;

  @Default("" + FleetSettings.DEFAULT_PROGRESS_DEADLINE_SECONDS)
  @Min(10)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds a rollout replacement may take to become available before the fleet reports"
          + " Progressing=False (ProgressDeadlineExceeded). Default "
          + FleetSettings.DEFAULT_PROGRESS_DEADLINE_SECONDS
          + ".")
  private Integer progressDeadlineSeconds;

  public Integer getMaxSurge() {
    return maxSurge;
  }

  public void setMaxSurge(Integer maxSurge) {
    this.maxSurge = maxSurge;
  }

  public Integer getMinReadySeconds() {
    return minReadySeconds;
  }

  public void setMinReadySeconds(Integer minReadySeconds) {
    this.minReadySeconds = minReadySeconds;
  }

  public Integer getProgressDeadlineSeconds() {
    return progressDeadlineSeconds;
  }

  public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
    this.progressDeadlineSeconds = progressDeadlineSeconds;
  }
}
