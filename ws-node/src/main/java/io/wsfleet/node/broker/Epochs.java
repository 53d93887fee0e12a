package io.wsfleet.node.broker;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Epoch names: random, so that two brokers (or two lives of one) never share one. */
final class Epochs {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Epochs() {}

  /** 16 hex digits: short on every feed message, collision-free in practice. */
  static String fresh() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
