package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How far voluntary evictions (node drains, cluster upgrades) may thin the fleet out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DisruptionSpec {

  @Default("" + FleetSettings.DEFAULT_MAX_UNAVAILABLE)
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "Serving pods a node drain may evict at a time; the next eviction waits until the"
          + " fleet is back to its desired ready pods minus this many. Pods no node has room"
          + " for (Pending, Unschedulable) do not count against it. At least 1, so that a"
          + " drain always progresses. Default "
          + FleetSettings.DEFAULT_MAX_UNAVAILABLE
          + ".")
  private Integer maxUnavailable;

  public Integer getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(Integer maxUnavailable) {
    this.maxUnavailable = maxUnavailable;
  }
}
