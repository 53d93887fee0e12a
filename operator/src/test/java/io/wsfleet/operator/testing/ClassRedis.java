package io.wsfleet.operator.testing;

import io.wsfleet.node.testing.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis for a whole test class, started before its first test and stopped after its last.
 * Register with {@code @RegisterExtension static final ClassRedis redis = new ClassRedis();}.
 */
public final class ClassRedis implements BeforeAllCallback, AfterAllCallback {

  private RedisServer redis;

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = RedisServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    redis.close();
  }

  /** {@code host:port} of the running Redis. */
  public String address() {
    return redis.address();
  }
}
