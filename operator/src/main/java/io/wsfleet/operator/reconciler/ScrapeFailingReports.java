package io.wsfleet.operator.reconciler;

import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.metrics.PodSample;
import io.wsfleet.operator.plan.PodGroups;
import io.wsfleet.operator.plan.PodView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises ScrapeFailing once per streak of failed scrapes of a pod: reconciles come more often than
 * scrapes, so counting alone would repeat it on every reconcile of the same failed sample.
 */
final class ScrapeFailingReports {

  private static final Logger LOG = LoggerFactory.getLogger(ScrapeFailingReports.class);

  private final FleetEvents events;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  ScrapeFailingReports(FleetEvents events) {
    this.events = events;
  }

  /** The counted pods' failing samples; reports the pods whose streak is new. */
  List<PodSample> failing(WebSocketFleet fleet, PodGroups pods, Map<String, PodSample> samples) {
    String prefix = fleet.getMetadata().getUid() + "/";
    List<PodSample> failing = new ArrayList<>();
    for (PodView pod : pods.counted()) {
      PodSample sample = samples.get(pod.name());
      String key = prefix + pod.name();
      if (sample == null || sample.consecutiveFailures() < PodViews.FAILING_SCRAPES) {
        reported.remove(key);
        continue;
      }
      failing.add(sample);
      if (reported.add(key)) {
        events.warning(
            fleet,
            "ScrapeFailing",
            String.format(
                "Metrics of pod %s failed %d scrapes in a row (%s); it counts as full, so the"
                    + " fleet will not shrink until it answers",
                sample.pod(), sample.consecutiveFailures(), sample.error()));
        LOG.info(
            "event=scrape-failing fleet={}/{} pod={} failures={} error=\"{}\"",
            fleet.getMetadata().getNamespace(),
            fleet.getMetadata().getName(),
            sample.pod(),
            sample.consecutiveFailures(),
            sample.error());
      }
    }
    return failing;
  }

  /** Forgets pods of fleets that are gone; {@code liveUids} are the fleets' uids. */
  void retainFleets(Collection<String> liveUids) {
    reported.removeIf(key -> !liveUids.contains(key.substring(0, key.indexOf('/'))));
  }
}
