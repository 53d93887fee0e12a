package io.wsfleet.e2e.load;

/** A server to connect to: {@code host:port} or {@code ws://host:port/path} (path defaults /ws). */
record Target(String host, int port, String path) {

  static Target parse(String text) {
    String rest = text.trim();
    if (rest.startsWith("ws://")) {
      rest = rest.substring("ws://".length());
    }
    String path = "/ws";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      path = rest.substring(slash);
      rest = rest.substring(0, slash);
    }
    int colon = rest.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("target " + text + " is not host:port");
    }
    try {
      return new Target(
          rest.substring(0, colon), Integer.parseInt(rest.substring(colon + 1)), path);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("target " + text + " has no port number", e);
    }
  }
}
