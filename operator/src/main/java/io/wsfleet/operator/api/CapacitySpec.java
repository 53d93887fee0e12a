package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Hard limits each server pod enforces on its own. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CapacitySpec {

  @Default("" + FleetSettings.DEFAULT_MAX_CONNECTIONS_PER_POD)
  @Min(1)
  @Max(1000000)
  @JsonPropertyDescription(
      "Hard cap of WebSocket connections per pod; handshakes beyond it get HTTP 503 with"
          + " Retry-After. Default "
          + FleetSettings.DEFAULT_MAX_CONNECTIONS_PER_POD
          + ".")
  private Integer maxConnectionsPerPod;

  @Default("" + FleetSettings.DEFAULT_REPLACE_UNREADY_AFTER_SECONDS)
  @Min(10)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds a serving pod may stay unready (still starting, crash-looping, failing its"
          + " probe) before it is drained and replaced; unschedulable pods are reported instead."
          + " Default "
          + FleetSettings.DEFAULT_REPLACE_UNREADY_AFTER_SECONDS
          + ".")
  private Integer replaceUnreadyAfterSeconds;

  public Integer getMaxConnectionsPerPod() {
    return maxConnectionsPerPod;
  }

  public void setMaxConnectionsPerPod(Integer maxConnectionsPerPod) {
    this.maxConnectionsPerPod = maxConnectionsPerPod;
  }

  public Integer getReplaceUnreadyAfterSeconds() {
    return replaceUnreadyAfterSeconds;
  }

  public void setReplaceUnreadyAfterSeconds(Integer replaceUnreadyAfterSeconds) {
    this.replaceUnreadyAfterSeconds = replaceUnreadyAfterSeconds;
  }
}
