package io.wsfleet.contract;

/**
 * The admin port's paths. Health needs no token (the kubelet probes it); the others need {@link
 * AdminAuth}.
 */
public final class AdminPaths {

  /** GET: 200 while the process runs (liveness probe). */
  public static final String HEALTH_LIVE = "/health/live";

  /** GET: 200 when the server takes new clients, 503 while draining or unable to serve. */
  public static final String HEALTH_READY = "/health/ready";

  /** GET: Prometheus text with at least {@link Metrics#REQUIRED}. */
  public static final String METRICS = "/metrics";

  /** GET: the server's state as {@link NodeStatus} JSON. */
  public static final String STATUS = "/admin/status";

  /** POST: a {@link DrainRequest}; 202 with the status once the drain is under way. */
  public static final String DRAIN = "/admin/drain";

  private AdminPaths() {}
}
