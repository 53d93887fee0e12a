package io.wsfleet.node.testing;

import io.vertx.core.Vertx;
import io.wsfleet.node.WsNode;
import io.wsfleet.node.config.NodeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts ws-node servers inside the test JVM on loopback with free ports. */
public final class Nodes {

  public static final String TOKEN = "test-admin-token";

  private Nodes() {}

  /** Test defaults: loopback, free ports, an admin token; {@code overrides} win. */
  public static NodeConfig config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("WSNODE_HOST", "127.0.0.1");
    env.put("WSNODE_CLIENT_PORT", "0");
    env.put("WSNODE_ADMIN_PORT", "0");
    env.put("WSNODE_ADMIN_TOKEN", TOKEN);
    env.putAll(overrides);
    return NodeConfig.fromEnv(env);
  }

  public static WsNode start(Vertx vertx, Map<String, String> overrides) throws Exception {
    WsNode node = new WsNode(config(overrides), false);
    vertx.deployVerticle(node).await(20, TimeUnit.SECONDS);
    return node;
  }
}
