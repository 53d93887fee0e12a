package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** The part of a pod template a fleet lets users set; the operator owns the rest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.clientPort) || !has(self.adminPort) || self.clientPort != self.adminPort",
    message =
        "template.clientPort and template.adminPort must differ: the admin port is never exposed"
            + " through the client Service")
public class FleetPodTemplate {

  @Default(FleetSettings.DEFAULT_IMAGE)
  @JsonPropertyDescription(
      "Container image of the ws-node server. Default " + FleetSettings.DEFAULT_IMAGE + ".")
  private String image;

  @Default(FleetSettings.DEFAULT_IMAGE_PULL_POLICY)
  @JsonPropertyDescription(
      "When the kubelet pulls the image. Default " + FleetSettings.DEFAULT_IMAGE_PULL_POLICY + ".")
  private PullPolicy imagePullPolicy;

  @JsonPropertyDescription("CPU and memory requests and limits of the server container.")
  private ResourceRequirements resources;

  @JsonPropertyDescription(
      "Extra environment variables for the server container. The operator sets the WSNODE_*"
          + " settings itself; a variable given here with the same name wins.")
  private List<EnvVar> env;

  @JsonPropertyDescription(
      "Extra labels for the server pods (the wsfleet.io/* labels are the operator's).")
  private Map<String, String> labels;

  @JsonPropertyDescription("Extra annotations for the server pods.")
  private Map<String, String> annotations;

  @JsonPropertyDescription("Node labels a server pod must match to be scheduled.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Taints the server pods tolerate.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("PriorityClass of the server pods.")
  private String priorityClassName;

  @Default("" + FleetSettings.DEFAULT_CLIENT_PORT)
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "Port the server accepts WebSocket clients on (path /ws). Default "
          + FleetSettings.DEFAULT_CLIENT_PORT
          + ".")
  private Integer clientPort;

  @Default("" + FleetSettings.DEFAULT_ADMIN_PORT)
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "Port of the server's metrics, health and drain endpoints; never behind the client"
          + " Service. Default "
          + FleetSettings.DEFAULT_ADMIN_PORT
          + ".")
  private Integer adminPort;

  /** Image pull policies Kubernetes knows. */
  public enum PullPolicy {
    Always,
    IfNotPresent,
    Never
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public PullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(PullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public Integer getClientPort() {
    return clientPort;
  }

  public void setClientPort(Integer clientPort) {
    this.clientPort = clientPort;
  }

  public Integer getAdminPort() {
    return adminPort;
  }

  public void setAdminPort(Integer adminPort) {
    this.adminPort = adminPort;
  }
}
