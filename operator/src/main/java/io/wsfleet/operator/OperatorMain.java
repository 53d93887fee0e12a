package io.wsfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wsfleet.operator.metrics.OperatorEndpoint;
import io.wsfleet.operator.metrics.OperatorMetrics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator against the current kubeconfig or the in-cluster config. Settings come from
 * WSFLEET_* environment variables; see README.md.
 */
public final class OperatorMain {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    Set<String> namespaces =
        Arrays.stream(env.getOrDefault("WSFLEET_WATCH_NAMESPACES", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
    String leaseNamespace = env.get("WSFLEET_LEASE_NAMESPACE");
    int port = Integer.parseInt(env.getOrDefault("WSFLEET_HTTP_PORT", "8080"));
    String identity = env.getOrDefault("POD_NAME", hostname());

    OperatorMetrics metrics = new OperatorMetrics().withJvmMetrics();
    KubernetesClient client = new KubernetesClientBuilder().build();
    FleetOperator operator =
        new FleetOperator(
            client,
            new FleetOperator.Options(
                namespaces, leaseNamespace, identity, Duration.ofSeconds(2), true),
            metrics);
    OperatorEndpoint endpoint = OperatorEndpoint.start(port, metrics);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("event=shutdown");
                  operator.close();
                  endpoint.close();
                  client.close();
                },
                "shutdown"));
    try {
      operator.start();
    } catch (RuntimeException e) {
      // The endpoint's threads would keep a JVM alive, and /healthz green, with no operator.
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      LOG.error("event=start-failed reason=\"{}\" cause=\"{}\"", e.getMessage(), cause.toString());
      System.exit(1);
      return;
    }
    endpoint.markReady();
    LOG.info(
        "event=started namespaces={} leader_election={} http_port={} identity={}",
        namespaces.isEmpty() ? "all" : namespaces,
        leaseNamespace == null ? "off" : "lease " + leaseNamespace + "/wsfleet-operator",
        port,
        identity);
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "wsfleet-operator";
    }
  }
}
