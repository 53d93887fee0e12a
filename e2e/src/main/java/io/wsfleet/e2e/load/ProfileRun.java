package io.wsfleet.e2e.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a profile: steps the client count through the phases, then stops the publisher, waits
 * for every client to reach the last acknowledged offset (or the settle time) and reports.
 */
final class ProfileRun {

  private static final long STEP_MILLIS = 50;

  private final LoadClient owner;
  private final Profile profile;
  private final Publisher publisher;
  private final List<LoadConnection> clients = new ArrayList<>();
  private final Promise<LoadReport> result = Promise.promise();
  private final long startNanos = System.nanoTime();
  private long phaseStartNanos;
  private int phaseIndex = -1;
  private int phaseStartClients;
  private int nextId;
  private long stepTimer = -1;
  private volatile String phaseName = "starting";
  private volatile int targetClients;

  ProfileRun(LoadClient owner, Profile profile) {
    this.owner = owner;
    this.profile = profile;
    this.publisher = new Publisher(owner);
  }

  Future<LoadReport> begin() {
    publisher.start();
    nextPhase();
    stepTimer = owner.vertx().setPeriodic(STEP_MILLIS, t -> step());
    return result.future();
  }

  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  String phaseName() {
    return phaseName;
  }

  int targetClients() {
    return targetClients;
  }

  private void nextPhase() {
    phaseIndex++;
    phaseStartNanos = System.nanoTime();
    phaseStartClients = clients.size();
    if (phaseIndex < profile.phases().size()) {
      Profile.Phase phase = profile.phases().get(phaseIndex);
      phaseName = phase.toString();
      if (phase.kind() == Profile.Phase.Kind.RAMP) {
        targetClients = phase.clients();
      }
    }
  }

  private void step() {
    if (phaseIndex >= profile.phases().size()) {
      owner.vertx().cancelTimer(stepTimer);
      finish();
      return;
    }
    Profile.Phase phase = profile.phases().get(phaseIndex);
    double elapsed = (System.nanoTime() - phaseStartNanos) / 1e9;
    if (phase.kind() == Profile.Phase.Kind.RAMP) {
      double done = phase.seconds() == 0 ? 1 : Math.min(1, elapsed / phase.seconds());
      resize((int) Math.round(phaseStartClients + (phase.clients() - phaseStartClients) * done));
    }
    if (elapsed >= phase.seconds()) {
      nextPhase();
    }
  }

  /** Opens or closes clients to reach {@code count}; the newest close first. */
  private void resize(int count) {
    while (clients.size() < count) {
      LoadConnection client = new LoadConnection(owner, nextId++);
      clients.add(client);
      client.connect();
    }
    while (clients.size() > count) {
      clients.remove(clients.size() - 1).retire();
    }
  }

  private void finish() {
    phaseName = "settle";
    publisher.stop().onSuccess(this::settle);
  }

  private void settle(long[] lastOffsets) {
    long deadline = System.nanoTime() + owner.options().settleSeconds() * 1_000_000_000L;
    owner
        .vertx()
        .setPeriodic(
            100,
            t -> {
              boolean all = clients.stream().allMatch(c -> c.caughtUp(lastOffsets));
              if (all || System.nanoTime() > deadline) {
                owner.vertx().cancelTimer(t);
                report(lastOffsets);
              }
            });
  }

  private void report(long[] lastOffsets) {
    Counters c = owner.counters();
    LatencyHistogram latency = owner.latency();
    long notCaughtUp = clients.stream().filter(client -> !client.caughtUp(lastOffsets)).count();
    long lost =
        c.lost.get() + clients.stream().mapToLong(client -> client.shortfall(lastOffsets)).sum();
    long connectedAtEnd = c.connected.get();
    // Read before retiring: a drained client still waiting to reconnect now must not count as
    // stopped by the profile.
    long drainedThenStopped = c.drainedThenStopped.get();
    clients.forEach(LoadConnection::retire);
    clients.clear();
    phaseName = "done";
    result.complete(
        new LoadReport(
            profile.toString(),
            elapsedSeconds(),
            c.peakConnected.get(),
            connectedAtEnd,
            c.reconnects.get(),
            c.closedByDrain.get(),
            c.reconnectedAfterDrain.get(),
            drainedThenStopped,
            c.closes(),
            c.handshakeFailures(),
            c.subscribesRefused.get(),
            c.published.get(),
            c.publishRefused.get(),
            c.publishUnsent.get(),
            c.received.get(),
            c.replayed.get(),
            lost,
            c.duplicated.get(),
            c.outOfOrder.get(),
            c.truncatedNotices.get(),
            c.truncatedMessages.get(),
            notCaughtUp,
            latency.quantile(0.50) / 1000.0,
            latency.quantile(0.99) / 1000.0,
            latency.max() / 1000.0));
  }
}
