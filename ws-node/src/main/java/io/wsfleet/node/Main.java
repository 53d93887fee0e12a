package io.wsfleet.node;

import io.vertx.core.Vertx;
import io.wsfleet.node.config.NodeConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Starts a ws-node from WSNODE_* environment variables; SIGTERM drains, then exits 0. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    NodeConfig config;
    try {
      config = NodeConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      LOG.error("event=config-error {}", e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    WsNode node = new WsNode(config, true);
    try {
      vertx.deployVerticle(node).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("event=start-failed reason=\"{}\"", e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // A plain shutdown hook would exit 143; handling TERM lets the drain finish and exit 0.
    Signal.handle(
        new Signal("TERM"),
        signal ->
            node.shutdown(config.shutdownGrace())
                .compose(v -> vertx.undeploy(node.deploymentID()))
                .eventually(vertx::close)
                .onComplete(v -> stopped.countDown()));
    stopped.await();
    System.exit(0);
  }
}
