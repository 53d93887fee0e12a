package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Rebalancing: new pods only get new clients, so hot pods shed part of theirs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RebalanceSpec {

  @Default("" + FleetSettings.DEFAULT_REBALANCE_ENABLED)
  @JsonPropertyDescription(
      "After a scale-up, ask pods well above the fleet average for a partial drain. Default "
          + FleetSettings.DEFAULT_REBALANCE_ENABLED
          + ".")
  private Boolean enabled;

  @Default("" + FleetSettings.DEFAULT_REBALANCE_THRESHOLD_PERCENT)
  @Min(101)
  @Max(1000)
  @JsonPropertyDescription(
      "A serving pod above this percentage of the fleet's average sheds its excess. Default "
          + FleetSettings.DEFAULT_REBALANCE_THRESHOLD_PERCENT
          + ".")
  private Integer thresholdPercent;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getThresholdPercent() {
    return thresholdPercent;
  }

  public void setThresholdPercent(Integer thresholdPercent) {
    this.thresholdPercent = thresholdPercent;
  }
}
