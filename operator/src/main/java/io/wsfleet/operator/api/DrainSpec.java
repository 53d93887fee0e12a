package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How a pod leaving the fleet hands its clients over without a reconnect storm. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DrainSpec {

  @Default("" + FleetSettings.DEFAULT_RECONNECT_RATE_PER_SECOND)
  @Min(1)
  @Max(100000)
  @JsonPropertyDescription(
      "Clients per second a draining pod asks to reconnect elsewhere. Default "
          + FleetSettings.DEFAULT_RECONNECT_RATE_PER_SECOND
          + ".")
  private Integer reconnectRatePerSecond;

  @Default("" + FleetSettings.DEFAULT_DRAIN_TIMEOUT_SECONDS)
  @Min(1)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds a drain may take before the pod is deleted anyway; also the pod's termination"
          + " grace period. Default "
          + FleetSettings.DEFAULT_DRAIN_TIMEOUT_SECONDS
          + ".")
  private Integer timeoutSeconds;

  @Default("" + FleetSettings.DEFAULT_RECONNECT_DELAY_MAX_MILLIS)
  @Min(0)
  @Max(600000)
  @JsonPropertyDescription(
      "Upper bound of the jittered reconnect delay, in milliseconds, that a closed client is"
          + " told to wait. Default "
          + FleetSettings.DEFAULT_RECONNECT_DELAY_MAX_MILLIS
          + ".")
  private Integer reconnectDelayMaxMillis;

  @Default(FleetSettings.DEFAULT_POD_SELECTION)
  @JsonPropertyDescription(
      "Which serving pods leave first on scale-down: FewestConnections, Oldest or Newest."
          + " Default "
          + FleetSettings.DEFAULT_POD_SELECTION
          + ".")
  private PodSelection podSelection;

  @Default("" + FleetSettings.DEFAULT_MAX_CONCURRENT_DRAINS)
  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Most pods of the fleet draining at once, for any reason; with reconnectRatePerSecond it"
          + " bounds the fleet's reconnect rate. Default "
          + FleetSettings.DEFAULT_MAX_CONCURRENT_DRAINS
          + ".")
  private Integer maxConcurrent;

  /** Orders in which pods are chosen to leave the fleet. */
  public enum PodSelection {
    FewestConnections,
    Oldest,
    Newest
  }

  public Integer getReconnectRatePerSecond() {
    return reconnectRatePerSecond;
  }

  public void setReconnectRatePerSecond(Integer reconnectRatePerSecond) {
    this.reconnectRatePerSecond = reconnectRatePerSecond;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public Integer getReconnectDelayMaxMillis() {
    return reconnectDelayMaxMillis;
  }

  public void setReconnectDelayMaxMillis(Integer reconnectDelayMaxMillis) {
    this.reconnectDelayMaxMillis = reconnectDelayMaxMillis;
  }

  public PodSelection getPodSelection() {
    return podSelection;
  }

  public void setPodSelection(PodSelection podSelection) {
    this.podSelection = podSelection;
  }

  public Integer getMaxConcurrent() {
    return maxConcurrent;
  }

  public void setMaxConcurrent(Integer maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }
}
