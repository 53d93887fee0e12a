package io.wsfleet.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A fleet of WebSocket server pods that the operator runs, autoscales and drains. */
@Group(WebSocketFleet.GROUP)
@Version(WebSocketFleet.VERSION)
@Kind("WebSocketFleet")
@Plural("websocketfleets")
@Singular("websocketfleet")
@ShortNames({"wsfleet", "wsf"})
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".status.desiredReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.readyReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Draining",
    jsonPath = ".status.drainingReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Connections",
    jsonPath = ".status.connections",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Target/Pod",
    jsonPath = ".spec.autoscaling.targetConnectionsPerPod",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "has(self.spec)", message = "spec is required; it may be empty: spec: {}")
@ValidationRule(
    value =
        "self.metadata.name.size() <= 52 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name must be a DNS-1035 label of at most 52 characters (lowercase letters,"
            + " digits and '-', starting with a letter): it names the fleet's Service and"
            + " prefixes its pod names")
public class WebSocketFleet extends CustomResource<WebSocketFleetSpec, WebSocketFleetStatus>
    implements Namespaced {

  public static final String GROUP = "wsfleet.io";
  public static final String VERSION = "v1alpha1";

  private static final long serialVersionUID = 1L;

  @Override
  protected WebSocketFleetSpec initSpec() {
    return new WebSocketFleetSpec();
  }

  @Override
  protected WebSocketFleetStatus initStatus() {
    return new WebSocketFleetStatus();
  }
}
