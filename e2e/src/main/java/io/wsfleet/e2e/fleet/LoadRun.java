package io.wsfleet.e2e.fleet;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wsfleet.e2e.load.LoadClient;
import io.wsfleet.e2e.load.LoadOptions;
import io.wsfleet.e2e.load.LoadReport;
import io.wsfleet.e2e.load.Profile;
import java.io.Console;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The scenario's load: the e2e load client, through the fleet's Service, on a profile. */
final class LoadRun {

  /** What the load client saw, as figures and as failed expectations. */
  record Outcome(LoadReport report) {

    String reportText() {
      return "load report:\n" + report.toText();
    }

    String reportJson() {
      return report.toJson().encodePrettily();
    }

    Map<String, Object> figures() {
      return report.toJson().getMap();
    }

    List<String> failures() {
      List<String> failures = new ArrayList<>();
      if (!report.clean()) {
        failures.add(
            String.format(
                "load client: lost %d, duplicated %d, out of order %d, truncated %d, not caught up"
                    + " %d, closed by drain %d vs reconnected %d + stopped %d",
                report.lost(),
                report.duplicated(),
                report.outOfOrder(),
                report.truncatedMessages(),
                report.clientsNotCaughtUp(),
                report.closedByDrain(),
                report.reconnectedAfterDrain(),
                report.drainedThenStopped()));
      }
      // Nothing checked would look clean: the run must have carried messages end to end.
      if (report.published() == 0 || report.received() == 0 || report.publishRefused() > 0) {
        failures.add(
            String.format(
                "load client: published %d (refused %d), received %d",
                report.published(), report.publishRefused(), report.received()));
      }
      if (report.closedByDrain() == 0) {
        failures.add("no client was ever closed by a drain: the fleet never shrank under load");
      }
      return failures;
    }
  }

  private final LoadClient client;
  private final Future<LoadReport> done;

  private LoadRun(LoadClient client, Future<LoadReport> done) {
    this.client = client;
    this.done = done;
  }

  static LoadRun start(Vertx vertx, ScenarioOptions options, String target) {
    Console console = System.console();
    LoadOptions load =
        LoadOptions.defaults(List.of(target))
            .withSourceAddresses(options.sources())
            .withChannels(options.channels())
            .withPublishRate(options.publishRate())
            // The timeline prints a line a second: the load's own progress stays quiet.
            .withProgress(console == null ? null : System.out, false);
    LoadClient client = LoadClient.start(load, vertx);
    return new LoadRun(client, client.run(Profile.parse(options.profile())));
  }

  int connectedClients() {
    return (int) client.snapshot().connected();
  }

  long lostSoFar() {
    return client.snapshot().lost();
  }

  Outcome finish() throws Exception {
    return new Outcome(done.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES));
  }

  static int peakClients(String profile) {
    return Profile.parse(profile).peakClients();
  }

  /** Clients once the profile is over: the last ramp's goal. */
  static int finalClients(String profile) {
    int clients = 0;
    for (Profile.Phase phase : Profile.parse(profile).phases()) {
      if (phase.kind() == Profile.Phase.Kind.RAMP) {
        clients = phase.clients();
      }
    }
    return clients;
  }
}
