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

  public Integer getMaxConnectionsPerPod() {
    return maxConnectionsPerPod;
  }

  public void setMaxConnectionsPerPod(Integer maxConnectionsPerPod) {
    this.maxConnectionsPerPod = maxConnectionsPerPod;
  }
}
