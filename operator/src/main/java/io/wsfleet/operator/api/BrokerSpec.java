package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The message broker the fleet's servers share for fan-out and resumable history. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.type) || self.type != 'Redis' || (has(self.redis) &&"
            + " has(self.redis.address))",
    message = "broker.redis.address (host:port) is required when broker.type is Redis")
@ValidationRule(
    value = "(has(self.type) && self.type == 'Redis') || !has(self.redis)",
    message = "broker.redis is only read when broker.type is Redis: set the type or remove it")
public class BrokerSpec {

  @Default(FleetSettings.DEFAULT_BROKER_TYPE)
  @JsonPropertyDescription(
      "InProcess (one pod, nothing else needed) or Redis (pub/sub fan-out and stream history"
          + " shared by every pod). Default "
          + FleetSettings.DEFAULT_BROKER_TYPE
          + ".")
  private BrokerType type;

  @JsonPropertyDescription("Where the Redis broker lives. Required when type is Redis.")
  private RedisSpec redis;

  @Default("" + FleetSettings.DEFAULT_HISTORY_MAX_ENTRIES)
  @Min(1)
  @Max(10000000)
  @JsonPropertyDescription(
      "Messages kept per channel for clients that resume; older offsets are reported as"
          + " gone. Default "
          + FleetSettings.DEFAULT_HISTORY_MAX_ENTRIES
          + ".")
  private Integer historyMaxEntries;

  /** Broker implementations a server knows. */
  public enum BrokerType {
    InProcess,
    Redis
  }

  public BrokerType getType() {
    return type;
  }

  public void setType(BrokerType type) {
    this.type = type;
  }

  public RedisSpec getRedis() {
    return redis;
  }

  public void setRedis(RedisSpec redis) {
    this.redis = redis;
  }

  public Integer getHistoryMaxEntries() {
    return historyMaxEntries;
  }

  public void setHistoryMaxEntries(Integer historyMaxEntries) {
    this.historyMaxEntries = historyMaxEntries;
  }
}
