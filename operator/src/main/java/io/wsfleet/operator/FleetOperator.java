package io.wsfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.wsfleet.operator.drain.NodeAdminClient;
import io.wsfleet.operator.metrics.OperatorMetrics;
import io.wsfleet.operator.metrics.ReconcileMetrics;
import io.wsfleet.operator.reconciler.WebSocketFleetReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/** The JOSDK operator with wsfleet's one controller, as main and the tests start it. */
public final class FleetOperator implements AutoCloseable {

  /** Where the operator runs and how. */
  public record Options(
      Set<String> namespaces,
      String leaseNamespace,
      String identity,
      Duration adminTimeout,
      boolean exitOnLostLease) {}

  private final Operator operator;

  public FleetOperator(KubernetesClient client, Options options, OperatorMetrics metrics) {
    // JOSDK may apply the overrides more than once: the metrics are registered once, here.
    ReconcileMetrics reconcileMetrics = new ReconcileMetrics(metrics.registry());
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withMetrics(reconcileMetrics);
              if (options.leaseNamespace() != null) {
                // A process that lost its lease may have stale caches: exiting lets Kubernetes
                // restart it as a clean standby.
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        "wsfleet-operator",
                        options.leaseNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        options.identity(),
                        null,
                        options.exitOnLostLease()));
              }
            });
    WebSocketFleetReconciler reconciler =
        new WebSocketFleetReconciler(
            Clock.systemUTC(),
            new NodeAdminClient(options.adminTimeout()),
            metrics,
            options.identity());
    operator.register(
        reconciler,
        c -> {
          if (options.namespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(options.namespaces());
          }
        });
  }

  public void start() {
    operator.start();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
