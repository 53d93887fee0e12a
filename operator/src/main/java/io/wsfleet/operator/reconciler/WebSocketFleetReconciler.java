package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.drain.AdminTokens;
import io.wsfleet.operator.drain.NodeAdminClient;
import io.wsfleet.operator.metrics.FleetScrapes;
import io.wsfleet.operator.metrics.FreshSamples;
import io.wsfleet.operator.metrics.OperatorMetrics;
import io.wsfleet.operator.metrics.PodSample;
import io.wsfleet.operator.metrics.PodScraper;
import io.wsfleet.operator.metrics.ScrapeFailures;
import io.wsfleet.operator.policy.ScalingMemory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Reconciles a WebSocketFleet: the Secret, Service and PodDisruptionBudget come from dependent
 * resources; the pods are owned directly, because scaling down means choosing a pod and draining
 * it, which no Deployment can do.
 */
@Workflow(
    dependents = {
      @Dependent(type = AdminTokenSecret.class, name = "admin-token"),
      @Dependent(type = FleetService.class, name = "service"),
      @Dependent(type = FleetDisruptionBudget.class, name = "disruption-budget")
    })
public class WebSocketFleetReconciler implements Reconciler<WebSocketFleet> {

  private final Clock clock;
  private final NodeAdminClient admin;
  private final OperatorMetrics metrics;
  private final String instance;
  private final Map<ResourceID, ScalingMemory> memories = new ConcurrentHashMap<>();
  private final Map<ResourceID, AdminTokens> tokens = new ConcurrentHashMap<>();
  // Records admin calls' answers (pod annotations, events) off the HTTP client's threads.
  private final ExecutorService adminAnswers =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "wsfleet-admin-answers");
            t.setDaemon(true);
            return t;
          });
  private final ScrapeFailures scrapeFailures = new ScrapeFailures();
  private volatile FleetSteps steps;
  private volatile SpecReplicasWriter replicas;

  public WebSocketFleetReconciler(
      Clock clock, NodeAdminClient admin, OperatorMetrics metrics, String instance) {
    this.clock = clock;
    this.admin = admin;
    this.metrics = metrics;
    this.instance = instance;
  }

  @Override
  public List<EventSource<?, WebSocketFleet>> prepareEventSources(
      EventSourceContext<WebSocketFleet> context) {
    InformerEventSource<Pod, WebSocketFleet> pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, WebSocketFleet.class)
                .withName("pods")
                .withLabelSelector(FleetLabels.MANAGED_SELECTOR)
                .build(),
            context);
    Function<WebSocketFleet, Optional<AdminTokens>> fleetTokens =
        fleet -> Optional.ofNullable(tokens.get(ResourceID.fromResource(fleet)));
    PodScraper scraper =
        new PodScraper(
            admin, pods::getSecondaryResources, fleetTokens, metrics, scrapeFailures, clock);
    FleetScrapes scrapes = new FleetScrapes(context, scraper, clock);
    FleetEvents events = new FleetEvents(context.getClient(), clock, instance);
    steps =
        new FleetSteps(
            new PodWriter(context.getClient(), pods),
            new PodDrains(admin, events, metrics, fleetTokens, adminAnswers),
            events,
            metrics);
    replicas = new SpecReplicasWriter(context.getClient(), events);
    return List.of(pods, scrapes);
  }

  @Override
  public UpdateControl<WebSocketFleet> reconcile(
      WebSocketFleet fleet, Context<WebSocketFleet> context) {
    var now = clock.instant();
    ResourceID id = ResourceID.fromResource(fleet);
    metrics.reconciled(fleet);
    prune(context);
    Optional<AdminTokens> secretTokens =
        AdminTokenSecret.tokens(context.getSecondaryResource(Secret.class));
    secretTokens.ifPresent(t -> tokens.put(id, t));
    Optional<String> token = secretTokens.map(AdminTokens::current);
    Map<String, PodSample> samples =
        FreshSamples.byPod(
            context.getSecondaryResources(PodSample.class),
            now,
            FleetSettings.scrapeInterval(fleet));
    FleetPods pods =
        FleetPods.of(context.getSecondaryResources(Pod.class), PodFactory.templateHash(fleet));

    FleetSteps.Outcome outcome = steps.run(fleet, pods, samples, token, now, memory(id));
    memories.put(id, outcome.decision().memory());

    WebSocketFleet current = replicas.sync(fleet, outcome.decision());
    current.setStatus(FleetConditions.status(current, outcome, now));
    return UpdateControl.patchStatus(current)
        .rescheduleAfter(FleetSettings.scrapeInterval(current));
  }

  private ScalingMemory memory(ResourceID id) {
    return memories.getOrDefault(id, ScalingMemory.empty());
  }

  /** Forgets the in-memory state of fleets that no longer exist. */
  private void prune(Context<WebSocketFleet> context) {
    var live = context.getPrimaryCache().list().map(ResourceID::fromResource).toList();
    memories.keySet().retainAll(live);
    tokens.keySet().retainAll(live);
    scrapeFailures.retainFleets(live);
  }
}
