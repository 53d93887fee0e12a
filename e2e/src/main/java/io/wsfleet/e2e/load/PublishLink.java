package io.wsfleet.e2e.load;

import io.vertx.core.json.JsonObject;
import io.wsfleet.e2e.ws.RawWebSocket;

/** One publisher connection; reconnects like a client does and counts the acknowledgements. */
final class PublishLink {

  private final LoadClient owner;
  private final Publisher publisher;
  private final int id;
  private final Reconnect reconnect;
  private RawWebSocket socket;
  private int outstanding;
  private boolean stopped;

  PublishLink(LoadClient owner, Publisher publisher, int id) {
    this.owner = owner;
    this.publisher = publisher;
    this.id = id;
    this.reconnect = new Reconnect(owner.options());
  }

  void connect() {
    owner
        .open(id, this::onText, this::onClose)
        .onSuccess(
            opened -> {
              reconnect.succeeded();
              if (stopped) {
                opened.close(1000);
              } else {
                socket = opened;
              }
            })
        .onFailure(error -> retryIn(reconnect.afterFailure()));
  }

  boolean open() {
    return socket != null;
  }

  int outstanding() {
    return outstanding;
  }

  void send(String frame) {
    outstanding++;
    socket.sendText(frame);
  }

  private void onText(String text) {
    JsonObject frame = new JsonObject(text);
    String type = String.valueOf(frame.getString("type"));
    if (type.equals("published")) {
      outstanding--;
      publisher.acknowledged(frame.getString("channel"), frame.getLong("offset"));
    } else if (type.equals("error") && frame.getString("id") != null) {
      outstanding--;
      owner.counters().publishRefused.incrementAndGet();
    }
  }

  private void onClose(int code, String reason) {
    socket = null;
    // Publishes in flight may or may not be stored; clients will tell.
    owner.counters().publishUnsent.addAndGet(outstanding);
    outstanding = 0;
    retryIn(reconnect.afterClose(code, reason));
  }

  private void retryIn(long delayMillis) {
    if (!stopped) {
      owner.vertx().setTimer(Math.max(1, delayMillis), t -> connect());
    }
  }

  void stop() {
    stopped = true;
    if (socket != null) {
      RawWebSocket closing = socket;
      socket = null;
      closing.close(1000);
    }
  }
}
