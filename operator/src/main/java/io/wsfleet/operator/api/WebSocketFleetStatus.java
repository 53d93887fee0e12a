package io.wsfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed and decided, as of observedGeneration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebSocketFleetStatus {

  @StatusReplicas
  @JsonPropertyDescription(
      "Serving pods of the fleet (ready or not, surge pods of a rollout included; draining pods"
          + " are in drainingReplicas). The scale subresource's replicas, in the unit of"
          + " spec.replicas.")
  private Integer replicas;

  @JsonPropertyDescription("Serving pods that are ready for clients.")
  private Integer readyReplicas;

  @JsonPropertyDescription("Pods handing their clients over before they are removed.")
  private Integer drainingReplicas;

  @JsonPropertyDescription("Open WebSocket connections across the fleet at the last scrape.")
  private Long connections;

  @JsonPropertyDescription("Serving pods the fleet should have, as last decided.")
  private Integer desiredReplicas;

  @JsonPropertyDescription("When the fleet last changed size (RFC 3339).")
  private String lastScaleTime;

  @LabelSelector
  @JsonPropertyDescription(
      "Label selector of the fleet's serving pods (draining pods left it), for the scale"
          + " subresource: what an HPA or KEDA averages pod metrics over.")
  private String selector;

  @JsonPropertyDescription("The spec generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready, Scaling, Draining and Degraded, with reasons and messages.")
  private List<Condition> conditions = new ArrayList<>();

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public Integer getDrainingReplicas() {
    return drainingReplicas;
  }

  public void setDrainingReplicas(Integer drainingReplicas) {
    this.drainingReplicas = drainingReplicas;
  }

  public Long getConnections() {
    return connections;
  }

  public void setConnections(Long connections) {
    this.connections = connections;
  }

  public Integer getDesiredReplicas() {
    return desiredReplicas;
  }

  public void setDesiredReplicas(Integer desiredReplicas) {
    this.desiredReplicas = desiredReplicas;
  }

  public String getLastScaleTime() {
    return lastScaleTime;
  }

  public void setLastScaleTime(String lastScaleTime) {
    this.lastScaleTime = lastScaleTime;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
