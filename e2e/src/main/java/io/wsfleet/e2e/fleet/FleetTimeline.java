package io.wsfleet.e2e.fleet;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Samples a fleet once a second, as `kubectl get wsfleet` and the pods' own counts see it, prints
 * one line per sample and remembers the rows for the chart and the summary.
 */
final class FleetTimeline {

  /** One sample: the fleet's status, each pod's connections, the decisions since the last one. */
  record Sample(
      double seconds,
      int desired,
      int replicas,
      int ready,
      int draining,
      long connections,
      int clients,
      long lost,
      Map<String, Long> podConnections,
      List<String> decisions) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String fleet;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final Set<String> seenEvents = new HashSet<>();
  private final Map<String, Integer> eventCounts = new java.util.TreeMap<>();

  FleetTimeline(KubernetesClient client, String namespace, String fleet, PrintStream out) {
    this.client = client;
    this.namespace = namespace;
    this.fleet = fleet;
    this.out = out;
  }

  Sample sample(Map<String, Long> podConnections, int clients, long lost) {
    Map<String, Object> status = status();
    List<String> decisions = newDecisions();
    Sample s =
        new Sample(
            (System.nanoTime() - startNanos) / 1e9,
            number(status, "desiredReplicas"),
            number(status, "replicas"),
            number(status, "readyReplicas"),
            number(status, "drainingReplicas"),
            ((Number) status.getOrDefault("connections", 0)).longValue(),
            clients,
            lost,
            podConnections,
            decisions);
    synchronized (samples) {
      samples.add(s);
    }
    out.println(format(s));
    return s;
  }

  static String format(Sample s) {
    String pods =
        s.podConnections().entrySet().stream()
            .map(e -> shortName(e.getKey()) + "=" + e.getValue())
            .collect(Collectors.joining(" "));
    StringBuilder line =
        new StringBuilder()
            .append(
                String.format(
                    "t=%5.0fs desired=%2d replicas=%2d ready=%2d draining=%d connections=%5d clients=%5d"
                        + " lost=%d pods[%s]",
                    s.seconds(),
                    s.desired(),
                    s.replicas(),
                    s.ready(),
                    s.draining(),
                    s.connections(),
                    s.clients(),
                    s.lost(),
                    pods));
    for (String decision : s.decisions()) {
      line.append("\n        ").append(decision);
    }
    return line.toString();
  }

  private static String shortName(String pod) {
    int dash = pod.lastIndexOf('-');
    return dash < 0 ? pod : pod.substring(dash + 1);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> status() {
    GenericKubernetesResource resource =
        client
            .genericKubernetesResources("wsfleet.io/v1alpha1", "WebSocketFleet")
            .inNamespace(namespace)
            .withName(fleet)
            .get();
    Object status = resource == null ? null : resource.getAdditionalProperties().get("status");
    return status instanceof Map ? (Map<String, Object>) status : Map.of();
  }

  private List<String> newDecisions() {
    List<Event> fresh =
        client.v1().events().inNamespace(namespace).list().getItems().stream()
            // The fleet's own decisions; the kubelet's and controllers' events stay in kubectl.
            .filter(e -> "WebSocketFleet".equals(e.getInvolvedObject().getKind()))
            .filter(e -> fleet.equals(e.getInvolvedObject().getName()))
            .filter(e -> seenEvents.add(e.getMetadata().getName()))
            .sorted(
                Comparator.comparing(
                    (Event e) -> e.getLastTimestamp() == null ? "" : e.getLastTimestamp()))
            .toList();
    List<String> lines = new ArrayList<>();
    for (Event e : fresh) {
      eventCounts.merge(e.getReason(), 1, Integer::sum);
      lines.add(e.getReason() + ": " + e.getMessage());
    }
    return lines;
  }

  private static int number(Map<String, Object> status, String key) {
    Object value = status.get(key);
    return value instanceof Number n ? n.intValue() : 0;
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** How many events of each reason the fleet got. */
  Map<String, Integer> eventCounts() {
    return Map.copyOf(eventCounts);
  }
}
