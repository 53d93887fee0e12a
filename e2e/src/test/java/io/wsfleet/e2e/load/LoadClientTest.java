package io.wsfleet.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wsfleet.node.WsNode;
import io.wsfleet.node.testing.Admin;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load client against real ws-node servers on loopback, and its checker and parsers. */
class LoadClientTest {

  @Test
  @Timeout(60)
  void drainingOneOfTwoServersLosesNothingAndEveryDrainedClientComesBack() throws Exception {
    Vertx servers = Vertx.vertx();
    Vertx clients = Vertx.vertx();
    try (RedisServer redis = RedisServer.start()) {
      Map<String, String> env =
          Map.of(
              "WSNODE_REDIS_ADDRESS", redis.address(), "WSNODE_RECONNECT_DELAY_MAX_MILLIS", "1000");
      WsNode a = Nodes.start(servers, env);
      WsNode b = Nodes.start(servers, env);
      LoadClient load =
          LoadClient.start(
              LoadOptions.defaults(
                      List.of("127.0.0.1:" + a.clientPort(), "ws://127.0.0.1:" + b.clientPort()))
                  .withPublishRate(50)
                  .withSettleSeconds(15),
              clients);

      Future<LoadReport> run = load.run(Profile.parse("ramp 300 3, hold 10"));
      await().atMost(Duration.ofSeconds(15)).until(() -> load.snapshot().connected() == 300);
      await().atMost(Duration.ofSeconds(5)).until(() -> load.snapshot().received() > 1000);
      assertThat(
              Admin.post(
                      a.adminPort(),
                      "/admin/drain",
                      Nodes.TOKEN,
                      "{\"ratePerSecond\":100,\"deadlineSeconds\":30}")
                  .statusCode())
          .isEqualTo(202);
      LoadReport report = run.await(45, TimeUnit.SECONDS);
      load.close().await(5, TimeUnit.SECONDS);
      System.out.print(report.toText());

      assertThat(report.peakConnections()).isEqualTo(300);
      assertThat(report.published()).isGreaterThan(300);
      assertThat(report.received()).isGreaterThan(300L * 300);
      assertThat(report.lost()).isZero();
      assertThat(report.duplicated()).isZero();
      assertThat(report.outOfOrder()).isZero();
      assertThat(report.truncatedMessages()).isZero();
      assertThat(report.clientsNotCaughtUp()).isZero();
      assertThat(report.closedByDrain()).isGreaterThan(100);
      assertThat(report.reconnectedAfterDrain()).isEqualTo(report.closedByDrain());
      assertThat(report.reconnects()).isGreaterThanOrEqualTo(report.closedByDrain());
      assertThat(report.replayed()).isPositive();
      assertThat(report.latencyP99Millis()).isPositive();
      assertThat(report.clean()).isTrue();
      assertThat(report.toJson().getLong("closedByDrain")).isEqualTo(report.closedByDrain());
    } finally {
      clients.close().await(10, TimeUnit.SECONDS);
      servers.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A server answers a subscribe it cannot make (its broker is down, e.g. still connecting at
   * start-up or reconnecting) with a {@code broker_unavailable} error. The client must try again,
   * not wait on that socket for a {@code subscribed} that never comes.
   */
  @Test
  @Timeout(60)
  void clientsWhoseSubscribesTheBrokerRefusedSubscribeAgainOnceItIsBack() throws Exception {
    Vertx servers = Vertx.vertx();
    Vertx clients = Vertx.vertx();
    try (RedisServer redis = RedisServer.start()) {
      redis.stop();
      WsNode node = Nodes.start(servers, Map.of("WSNODE_REDIS_ADDRESS", redis.address()));
      LoadClient load =
          LoadClient.start(
              LoadOptions.defaults(List.of("127.0.0.1:" + node.clientPort()))
                  .withChannels(2)
                  .withPublishRate(20)
                  .withSettleSeconds(15),
              clients);

      Future<LoadReport> run = load.run(Profile.parse("ramp 20 0, hold 8"));
      // Refused, each client leaves and reconnects: "connected == 20" need not ever hold now.
      await().atMost(Duration.ofSeconds(10)).until(() -> load.snapshot().subscribesRefused() >= 40);
      redis.restart();
      LoadReport report = run.await(45, TimeUnit.SECONDS);
      load.close().await(5, TimeUnit.SECONDS);
      System.out.print(report.toText());

      assertThat(report.subscribesRefused()).isGreaterThanOrEqualTo(40);
      assertThat(report.clientsNotCaughtUp()).isZero();
      assertThat(report.connectedAtEnd()).isEqualTo(20);
      assertThat(report.received()).isPositive();
      assertThat(report.lost()).isZero();
      assertThat(report.duplicated()).isZero();
      assertThat(report.outOfOrder()).isZero();
    } finally {
      clients.close().await(10, TimeUnit.SECONDS);
      servers.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void checkerCountsExactlyTheGapDuplicateAndReorderFedToIt() {
    ChannelTrack track = new ChannelTrack();
    track.baseline(10);
    long lost = 0;
    long duplicated = 0;
    long outOfOrder = 0;
    // 11, 12, then 15 (13 and 14 skipped), 13 late, 13 again, 16, 20 (17..19 skipped)
    for (long offset : new long[] {11, 12, 15, 13, 13, 16, 20}) {
      switch (track.message(offset)) {
        case GAP -> lost += track.lastGap();
        case LATE -> {
          lost--;
          outOfOrder++;
        }
        case DUPLICATE -> duplicated++;
        case IN_ORDER -> {}
      }
    }
    assertThat(lost).isEqualTo(4); // 14, 17, 18, 19
    assertThat(track.missing()).isEqualTo(4);
    assertThat(duplicated).isEqualTo(1);
    assertThat(outOfOrder).isEqualTo(1);
    assertThat(track.last()).isEqualTo(20);
    assertThat(track.message(11)).isEqualTo(ChannelTrack.Verdict.DUPLICATE);
    assertThat(track.message(18)).isEqualTo(ChannelTrack.Verdict.LATE);
    assertThat(track.missing()).isEqualTo(3);
  }

  @Test
  void truncationSkipsAheadAndCountsWhatIsGone() {
    ChannelTrack track = new ChannelTrack();
    track.baseline(3);
    assertThat(track.truncated(3, 120)).isEqualTo(116); // 4 .. 119
    assertThat(track.message(120)).isEqualTo(ChannelTrack.Verdict.IN_ORDER);
    assertThat(track.truncated(120, 1)).isZero(); // the broker restarted its numbering
    assertThat(track.message(1)).isEqualTo(ChannelTrack.Verdict.IN_ORDER);
  }

  @Test
  void profilesParseFromTheFlagAndFromAFile() {
    Profile profile = Profile.parse("ramp 2000 60, hold 30, ramp 400 over 30s, hold 40");
    assertThat(profile.phases())
        .containsExactly(
            new Profile.Phase(Profile.Phase.Kind.RAMP, 2000, 60),
            new Profile.Phase(Profile.Phase.Kind.HOLD, 0, 30),
            new Profile.Phase(Profile.Phase.Kind.RAMP, 400, 30),
            new Profile.Phase(Profile.Phase.Kind.HOLD, 0, 40));
    assertThat(profile.peakClients()).isEqualTo(2000);
    assertThat(profile.totalSeconds()).isEqualTo(160);
    assertThat(profile).hasToString("ramp 2000 60, hold 30, ramp 400 30, hold 40");
    assertThat(Profile.parse("# scale-down test\nramp 10 1\nhold 2 # steady\n"))
        .isEqualTo(Profile.parse("ramp 10 1, hold 2"));
    assertThatThrownBy(() -> Profile.parse("ramp 10")).hasMessageContaining("bad phase 'ramp 10'");
    assertThatThrownBy(() -> Profile.parse("hold x")).hasMessageContaining("not a whole number");
    assertThatThrownBy(() -> Profile.parse(" , ")).hasMessageContaining("no phases");
  }

  @Test
  void sourceAddressRangesAndTargetsParse() {
    assertThat(SourceAddresses.parse("127.0.1.1-127.0.1.3, 10.0.0.9"))
        .containsExactly("127.0.1.1", "127.0.1.2", "127.0.1.3", "10.0.0.9");
    assertThat(SourceAddresses.parse("10.244.1.0/30")).containsExactly("10.244.1.1", "10.244.1.2");
    assertThat(Target.parse("ws://10.0.0.1:8080/ws"))
        .isEqualTo(new Target("10.0.0.1", 8080, "/ws"));
    assertThat(Target.parse("localhost:81")).isEqualTo(new Target("localhost", 81, "/ws"));
  }

  @Test
  void latencyQuantilesAreWithinTheirBucket() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (int micros = 1; micros <= 10_000; micros++) {
      histogram.record(micros);
    }
    assertThat(histogram.quantile(0.5)).isBetween(5_000L, 5_200L);
    assertThat(histogram.quantile(0.99)).isBetween(9_900L, 10_000L);
    assertThat(histogram.max()).isEqualTo(10_000);
  }
}
