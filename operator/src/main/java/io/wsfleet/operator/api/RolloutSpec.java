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

  public Integer getMaxSurge() {
    return maxSurge;
  }

  public void setMaxSurge(Integer maxSurge) {
    this.maxSurge = maxSurge;
  }
}
