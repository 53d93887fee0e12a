package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
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
import io.wsfleet.operator.api.WebSocketFleetStatus;
import io.wsfleet.operator.drain.AdminTokens;
import io.wsfleet.operator.drain.NodeAdminClient;
import io.wsfleet.operator.metrics.FleetScrapes;
import io.wsfleet.operator.metrics.FreshSamples;
import io.wsfleet.operator.metrics.OperatorMetrics;
import io.wsfleet.operator.metrics.PodSample;
import io.wsfleet.operator.metrics.PodScraper;
import io.wsfleet.operator.metrics.ScrapeFailures;
import io.wsfleet.operator.plan.PlanSettings;
import io.wsfleet.operator.plan.PodGroups;
import io.wsfleet.operator.plan.PodPlan;
import io.wsfleet.operator.plan.PodPlanner;
import io.wsfleet.operator.plan.PodView;
import io.wsfleet.operator.policy.ScalingDecision;
import io.wsfleet.operator.policy.ScalingMemory;
import io.wsfleet.operator.policy.ScalingPolicy;
import io.wsfleet.operator.policy.ScalingSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a WebSocketFleet: the Secret, Service and PodDisruptionBudget come from dependent
 * resources; the pods are owned directly, because scaling down means choosing a pod and draining
 * it, which no Deployment can do.
 */
@Workflow(
    // Drains and the status must go on when the API refuses a dependent (a quota, a policy, a
    // Service of the same name): reconcile() gets the errors and reports them.
    handleExceptionsInReconciler = true,
    dependents = {
      @Dependent(type = AdminTokenSecret.class, name = "admin-token"),
      @Dependent(type = FleetService.class, name = "service"),
      @Dependent(type = FleetDisruptionBudget.class, name = "disruption-budget")
    })
public class WebSocketFleetReconciler implements Reconciler<WebSocketFleet> {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketFleetReconciler.class);
  private static final Duration MIN_REBALANCE_INTERVAL = Duration.ofSeconds(30);
  private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

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
  private final Map<String, String> reportedDependentErrors = new ConcurrentHashMap<>();
  private volatile Instant lastPrune;
  private volatile FleetEvents events;
  private volatile PodWriter writer;
  private volatile PlanExecutor executor;
  private volatile ScrapeFailingReports scrapeReports;
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
    events = new FleetEvents(context.getClient(), clock, instance);
    writer = new PodWriter(context.getClient(), pods);
    executor =
        new PlanExecutor(
            writer,
            new PodDrains(admin, events, metrics, fleetTokens, adminAnswers),
            events,
            metrics);
    scrapeReports = new ScrapeFailingReports(events);
    replicas = new SpecReplicasWriter(context.getClient(), events);
    return List.of(pods, scrapes);
  }

  @Override
  public UpdateControl<WebSocketFleet> reconcile(
      WebSocketFleet fleet, Context<WebSocketFleet> context) {
    var now = clock.instant();
    ResourceID id = ResourceID.fromResource(fleet);
    prune(context, now);
    List<String> dependentErrors = dependentErrors(fleet, context);
    Optional<AdminTokens> secretTokens =
        AdminTokenSecret.tokens(context.getSecondaryResource(Secret.class));
    secretTokens.ifPresent(t -> tokens.put(id, t));
    Optional<String> token = secretTokens.map(AdminTokens::current);
    Map<String, PodSample> samples =
        FreshSamples.byPod(
            context.getSecondaryResources(PodSample.class),
            now,
            FleetSettings.scrapeInterval(fleet));
    Map<String, Pod> pods = new HashMap<>();
    List<PodView> views = new ArrayList<>();
    for (Pod pod : context.getSecondaryResources(Pod.class)) {
      if (pod.getMetadata().getDeletionTimestamp() == null && !writer.deleted(pod)) {
        pods.put(pod.getMetadata().getName(), pod);
        views.add(PodViews.of(pod, samples.get(pod.getMetadata().getName())));
      }
    }
    PlanSettings settings = planSettings(fleet);
    PodGroups groups = PodGroups.of(views, settings.templateHash());
    ScalingDecision decision =
        ScalingPolicy.decide(
            ScalingSettings.from(fleet.getSpec()),
            PodPlanner.loads(groups, settings, now),
            memory(id),
            now);
    memories.put(id, decision.memory());
    metrics.observed(fleet, decision.desiredServing(), total(samples));
    PodPlan plan = PodPlanner.plan(settings, groups, decision, token.isPresent(), now);
    if (Thread.currentThread().isInterrupted()) {
      // The operator is stopping and its caches may already be gone: act on nothing.
      throw new IllegalStateException("operator stopping; the next leader reconciles " + id);
    }
    Instant scaledAt = executor.execute(fleet, plan, decision, pods, samples, token, now);
    List<PodSample> failing = scrapeReports.failing(fleet, groups, samples);

    WebSocketFleet current = replicas.sync(fleet, decision);
    WebSocketFleetStatus status =
        FleetStatusAggregator.status(
            current,
            new FleetFacts(plan, decision, samples, scaledAt, failing, dependentErrors),
            now);
    Duration next = FleetSettings.scrapeInterval(current);
    if (Serialization.asJson(status).equals(Serialization.asJson(fleet.getStatus()))) {
      // Nothing new to say: no write, so a quiet fleet costs the API server nothing.
      return UpdateControl.<WebSocketFleet>noUpdate().rescheduleAfter(next);
    }
    current.setStatus(status);
    // The status is recomputed whole on every pass and only this operator writes it: no
    // optimistic lock, so a spec write in between does not turn the pass into a 409 and a retry.
    current.getMetadata().setResourceVersion(null);
    return UpdateControl.patchStatus(current).rescheduleAfter(next);
  }

  @Override
  public ErrorStatusUpdateControl<WebSocketFleet> updateErrorStatus(
      WebSocketFleet fleet, Context<WebSocketFleet> context, Exception e) {
    LOG.warn(
        "event=reconcile-failed fleet={}/{} error=\"{}\"",
        fleet.getMetadata().getNamespace(),
        fleet.getMetadata().getName(),
        FleetEvents.apiMessage(e));
    fleet.setStatus(FleetStatusAggregator.failed(fleet, e, clock.instant()));
    fleet.getMetadata().setResourceVersion(null);
    return ErrorStatusUpdateControl.patchStatus(fleet);
  }

  /** The API's words for each dependent it refused this time; one event per new refusal. */
  private List<String> dependentErrors(WebSocketFleet fleet, Context<WebSocketFleet> context) {
    List<String> errors = new ArrayList<>();
    context
        .managedWorkflowAndDependentResourceContext()
        .getWorkflowReconcileResult()
        .ifPresent(
            result ->
                result
                    .getErroredDependents()
                    .forEach(
                        (dependent, error) ->
                            errors.add(
                                dependent.resourceType().getSimpleName()
                                    + " not written: "
                                    + FleetEvents.apiMessage(error))));
    String key = fleet.getMetadata().getUid();
    String text = String.join("; ", errors);
    if (!errors.isEmpty() && !text.equals(reportedDependentErrors.put(key, text))) {
      events.warning(fleet, "DependentFailed", text);
      LOG.warn(
          "event=dependent-failed fleet={}/{} error=\"{}\"",
          fleet.getMetadata().getNamespace(),
          fleet.getMetadata().getName(),
          text);
    } else if (errors.isEmpty()) {
      reportedDependentErrors.remove(key);
    }
    return errors;
  }

  private static PlanSettings planSettings(WebSocketFleet fleet) {
    Duration quiet =
        max(MIN_REBALANCE_INTERVAL, FleetSettings.scrapeInterval(fleet).multipliedBy(3));
    return new PlanSettings(
        TemplateHashes.template(fleet),
        TemplateHashes.metadata(fleet),
        FleetSettings.maxSurge(fleet),
        Duration.ofSeconds(FleetSettings.minReadySeconds(fleet)),
        Duration.ofSeconds(FleetSettings.progressDeadlineSeconds(fleet)),
        Duration.ofSeconds(FleetSettings.replaceUnreadyAfterSeconds(fleet)),
        FleetSettings.maxConcurrentDrains(fleet),
        quiet);
  }

  private static long total(Map<String, PodSample> samples) {
    return samples.values().stream().mapToLong(s -> s.connections().orElse(0)).sum();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private ScalingMemory memory(ResourceID id) {
    return memories.getOrDefault(id, ScalingMemory.empty());
  }

  /**
   * Forgets the in-memory state of fleets that no longer exist, at most once a minute: listing
   * every fleet on every reconcile would make each fleet's reconcile cost grow with the fleets.
   */
  private void prune(Context<WebSocketFleet> context, Instant now) {
    Instant last = lastPrune;
    if (last != null && last.plus(PRUNE_INTERVAL).isAfter(now)) {
      return;
    }
    lastPrune = now;
    List<WebSocketFleet> fleets = context.getPrimaryCache().list().toList();
    var live = fleets.stream().map(ResourceID::fromResource).toList();
    var uids = fleets.stream().map(f -> f.getMetadata().getUid()).toList();
    memories.keySet().retainAll(live);
    tokens.keySet().retainAll(live);
    scrapeFailures.retainFleets(live);
    scrapeReports.retainFleets(uids);
    reportedDependentErrors.keySet().retainAll(uids);
    writer.forgetOldDeletes(now);
  }
}
