package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** Address and credentials of the Redis server a fleet shares. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisSpec {

  @Pattern("^[^:/\\s]+:[0-9]{1,5}$")
  @JsonPropertyDescription("host:port of the Redis server, e.g. redis.messaging:6379.")
  private String address;

  @JsonPropertyDescription("Secret key holding the Redis password, if it requires one.")
  private SecretKeySelector passwordSecretRef;

  @Default("" + FleetSettings.DEFAULT_REDIS_DATABASE)
  @Min(0)
  @Max(15)
  @JsonPropertyDescription(
      "Redis logical database. Default " + FleetSettings.DEFAULT_REDIS_DATABASE + ".")
  private Integer database;

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public SecretKeySelector getPasswordSecretRef() {
    return passwordSecretRef;
  }

  public void setPasswordSecretRef(SecretKeySelector passwordSecretRef) {
    this.passwordSecretRef = passwordSecretRef;
  }

  public Integer getDatabase() {
    return database;
  }

  public void setDatabase(Integer database) {
    this.database = database;
  }
}
