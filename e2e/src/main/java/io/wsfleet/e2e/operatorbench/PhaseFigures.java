package io.wsfleet.e2e.operatorbench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of one phase of a scenario, from the snapshots at its start and end. */
record PhaseFigures(
    String phase,
    double seconds,
    BucketQuantiles reconcile,
    double reconcilesFailed,
    Map<String, Double> failedByException,
    double scrapeErrors,
    ScrapeStats scrapes,
    double intervalSeconds,
    double apiPerSecond,
    double operatorApiPerSecond,
    Map<String, Double> apiByKind,
    Map<String, Double> apiErrors,
    double cpuCores,
    double heapUsedMaxMiB,
    double heapCommittedMaxMiB) {

  // The operator's metric names; OperatorMetricNamesTest keeps these copies equal to them.
  static final String RECONCILE_HISTOGRAM = "wsfleet_operator_reconcile_seconds";
  static final String FAILED = "wsfleet_operator_reconcile_failures_total";
  static final String SCRAPE_ERRORS = "wsfleet_operator_scrape_errors_total";
  static final String API_REQUESTS = "apiserver_request_total";
  static final String APF_DISPATCHED = "apiserver_flowcontrol_dispatched_requests_total";

  static PhaseFigures of(
      String phase,
      Snapshot start,
      Snapshot end,
      ScrapeStats scrapes,
      double intervalSeconds,
      String operatorFlowSchema,
      HeapSampler.Peak heap) {
    double seconds = (end.nanos() - start.nanos()) / 1e9;
    BucketQuantiles reconcile =
        BucketQuantiles.between(
            start.operator(),
            end.operator(),
            RECONCILE_HISTOGRAM,
            s -> "reconcile".equals(s.label("execution")));
    double failed = end.operator().sum(FAILED) - start.operator().sum(FAILED);
    Map<String, Double> failedAfter = end.operator().sumBy(FAILED, x -> x.label("exception"));
    Map<String, Double> failedBefore = start.operator().sumBy(FAILED, x -> x.label("exception"));
    Map<String, Double> failedBy = new java.util.TreeMap<>();
    failedAfter.forEach(
        (k, v) -> {
          double d = v - failedBefore.getOrDefault(k, 0.0);
          if (d > 0) {
            failedBy.put(k, d);
          }
        });
    double scrapeErrors = end.operator().sum(SCRAPE_ERRORS) - start.operator().sum(SCRAPE_ERRORS);
    double api = end.apiServer().sum(API_REQUESTS) - start.apiServer().sum(API_REQUESTS);
    double ownApi =
        end.apiServer().sum(APF_DISPATCHED, s -> operatorFlowSchema.equals(s.label("flow_schema")))
            - start
                .apiServer()
                .sum(APF_DISPATCHED, s -> operatorFlowSchema.equals(s.label("flow_schema")));
    Map<String, Double> after = end.apiServer().sumBy(API_REQUESTS, PhaseFigures::kind);
    Map<String, Double> before = start.apiServer().sumBy(API_REQUESTS, PhaseFigures::kind);
    Map<String, Double> byKind =
        after.entrySet().stream()
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey,
                    e -> (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / seconds));
    Map<String, Double> errorsAfter = end.apiServer().sumBy(API_REQUESTS, PhaseFigures::error);
    Map<String, Double> errorsBefore = start.apiServer().sumBy(API_REQUESTS, PhaseFigures::error);
    Map<String, Double> errors = new java.util.TreeMap<>();
    errorsAfter.forEach(
        (k, v) -> {
          double d = v - errorsBefore.getOrDefault(k, 0.0);
          if (!k.isEmpty() && d > 0) {
            errors.put(k, d);
          }
        });
    double cpu = (end.operatorCpuSeconds() - start.operatorCpuSeconds()) / seconds;
    return new PhaseFigures(
        phase,
        seconds,
        reconcile,
        failed,
        failedBy,
        scrapeErrors,
        scrapes,
        intervalSeconds,
        api / seconds,
        ownApi / seconds,
        byKind,
        errors,
        cpu,
        heap.usedBytes() / 1048576.0,
        heap.committedBytes() / 1048576.0);
  }

  /** "verb resource code" for answers other than 2xx and 3xx, else "". */
  private static String error(PromSamples.Sample s) {
    String code = s.label("code");
    return code.startsWith("2") || code.startsWith("3") ? "" : kind(s) + " " + code;
  }

  private static String kind(PromSamples.Sample s) {
    String sub = s.label("subresource");
    return s.label("verb") + " " + s.label("resource") + (sub.isEmpty() ? "" : "/" + sub);
  }

  /** The lines the benchmark prints for this phase, each starting with {@code prefix}. */
  List<String> lines(String prefix) {
    String p = prefix + " " + phase + " ";
    String topKinds =
        apiByKind.entrySet().stream()
            .filter(e -> e.getValue() >= 0.05)
            .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
            .limit(6)
            .map(e -> e.getKey() + "=" + f("%.1f", e.getValue()))
            .collect(Collectors.joining(" "));
    return List.of(
        p + "seconds: " + f("%.1f", seconds),
        p
            + "reconcile: count="
            + f("%.0f", reconcile.count())
            + " p50_ms="
            + ms(reconcile.quantile(0.50))
            + " p99_ms="
            + ms(reconcile.quantile(0.99))
            + " (bucket interpolation; "
            + bucketText()
            + ") failed="
            + f("%.0f", reconcilesFailed)
            + (failedByException.isEmpty() ? "" : " " + failedByException),
        p
            + "scrape_gap: count="
            + scrapes.gaps()
            + " p50_s="
            + f("%.2f", scrapes.gapP50())
            + " p99_s="
            + f("%.2f", scrapes.gapP99())
            + " max_s="
            + f("%.2f", scrapes.gapMax())
            + " interval_s="
            + f("%.0f", intervalSeconds)
            + " late(>"
            + f("%.1f", ScrapeStats.LATE_FACTOR * intervalSeconds)
            + "s)="
            + scrapes.lateGaps()
            + " operator_scrape_errors="
            + f("%.0f", scrapeErrors),
        p
            + "scrape_round: count="
            + scrapes.rounds()
            + " p50_ms="
            + ms(scrapes.roundP50())
            + " p99_ms="
            + ms(scrapes.roundP99())
            + " max_ms="
            + ms(scrapes.roundMax()),
        p
            + "api_requests_per_s: all="
            + f("%.1f", apiPerSecond)
            + " operator="
            + f("%.1f", operatorApiPerSecond)
            + " top: "
            + topKinds
            + " errors: "
            + (apiErrors.isEmpty() ? "none" : errorText()),
        p + "operator_cpu_cores: " + f("%.3f", cpuCores),
        p
            + "operator_heap_mib: used_max="
            + f("%.0f", heapUsedMaxMiB)
            + " committed_max="
            + f("%.0f", heapCommittedMaxMiB));
  }

  private String bucketText() {
    double bound = reconcile.bucketBound(0.99);
    if (reconcile.count() <= 0) {
      return "no reconcile finished in the phase";
    }
    if (Double.isInfinite(bound)) {
      return "p99 above the highest bucket: at least " + ms(reconcile.quantile(0.99)) + " ms";
    }
    return "p99 in the bucket <= " + f("%s", bound) + " s";
  }

  private String errorText() {
    return apiErrors.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .limit(5)
        .map(e -> e.getKey() + "=" + f("%.0f", e.getValue()))
        .collect(Collectors.joining(" "));
  }

  /** The 100 × 10 targets, each with PASS or MISS. */
  List<String> targets(String prefix) {
    String p = prefix + " " + phase + " target ";
    return List.of(
        p
            + "reconcile_p99 < 1 s: "
            + ms(reconcile.quantile(0.99))
            + " ms "
            + verdict(reconcile.quantile(0.99) < 1.0),
        p
            + "every scrape round within its interval: late="
            + scrapes.lateGaps()
            + " of "
            + scrapes.gaps()
            + " "
            + (scrapes.gaps() == 0
                ? "n/a (shorter than an interval: no pod scraped twice)"
                : verdict(scrapes.lateGaps() == 0)),
        p + "operator_cpu < 0.5 core: " + f("%.3f", cpuCores) + " " + verdict(cpuCores < 0.5),
        p
            + "operator_heap < 300 MiB (used max): "
            + f("%.0f", heapUsedMaxMiB)
            + " "
            + verdict(heapUsedMaxMiB < 300));
  }

  private static String verdict(boolean met) {
    return met ? "PASS" : "MISS";
  }

  private static String ms(double seconds) {
    return Double.isNaN(seconds) ? "n/a" : f("%.1f", seconds * 1000);
  }

  private static String f(String format, Object value) {
    return String.format(Locale.ROOT, format, value);
  }
}
