package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The Service clients connect through; it selects serving pods only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.nodePort) || (has(self.type) && self.type != 'ClusterIP')",
    message = "service.nodePort needs service.type NodePort or LoadBalancer")
public class ServiceSpec {

  @Default(FleetSettings.DEFAULT_SERVICE_TYPE)
  @JsonPropertyDescription(
      "ClusterIP, NodePort or LoadBalancer. Default " + FleetSettings.DEFAULT_SERVICE_TYPE + ".")
  private ServiceType type;

  @Default("" + FleetSettings.DEFAULT_SERVICE_PORT)
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "Port of the Service; it forwards to template.clientPort. Default "
          + FleetSettings.DEFAULT_SERVICE_PORT
          + ".")
  private Integer port;

  @Min(30000)
  @Max(32767)
  @JsonPropertyDescription("Fixed node port for NodePort or LoadBalancer Services.")
  private Integer nodePort;

  @JsonPropertyDescription("Annotations of the Service, e.g. for a cloud load balancer.")
  private Map<String, String> annotations;

  @JsonPropertyDescription("Extra labels of the Service.")
  private Map<String, String> labels;

  /** Service types a fleet can be exposed with. */
  public enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer
  }

  public ServiceType getType() {
    return type;
  }

  public void setType(ServiceType type) {
    this.type = type;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public Integer getNodePort() {
    return nodePort;
  }

  public void setNodePort(Integer nodePort) {
    this.nodePort = nodePort;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }
}
