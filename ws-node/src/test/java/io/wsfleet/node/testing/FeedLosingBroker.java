package io.wsfleet.node.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wsfleet.node.broker.Broker;
import io.wsfleet.node.broker.InProcessBroker;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The in-process broker with a feed the test can lose and regain, and history answers it can hold
 * back or fail: the orderings of a Redis feed reconnect under load, on demand (Redis cannot be made
 * to produce them deterministically). History is read when asked, answered when released.
 */
public final class FeedLosingBroker implements Broker {

  private final InProcessBroker inner = new InProcessBroker(10_000);
  private final Set<String> subscribed = new LinkedHashSet<>();
  private final List<Runnable> heldAnswers = new ArrayList<>();
  private Listener listener;
  private Context context;
  private boolean feedUp = true;
  private boolean holdingHistory;
  private boolean failingHistory;

  @Override
  public void listener(Listener listener) {
    this.listener = listener;
    inner.listener(
        new Listener() {
          @Override
          public void onMessage(String channel, String epoch, long offset, String payloadJson) {
            if (feedUp) {
              listener.onMessage(channel, epoch, offset, payloadJson);
            }
          }

          @Override
          public void onResubscribed(String channel) {
            listener.onResubscribed(channel);
          }
        });
  }

  @Override
  public Future<Long> publish(String channel, String payloadJson) {
    context = Vertx.currentContext();
    return inner.publish(channel, payloadJson);
  }

  @Override
  public Future<Head> subscribe(String channel) {
    context = Vertx.currentContext();
    subscribed.add(channel);
    return inner.subscribe(channel);
  }

  @Override
  public Future<Void> unsubscribe(String channel) {
    subscribed.remove(channel);
    return inner.unsubscribe(channel);
  }

  @Override
  public Future<History> history(String channel, long since) {
    if (failingHistory) {
      return Future.failedFuture("history unavailable (test)");
    }
    History now = inner.history(channel, since).result();
    if (!holdingHistory) {
      return Future.succeededFuture(now);
    }
    Promise<History> answer = Promise.promise();
    heldAnswers.add(() -> answer.complete(now));
    return answer.future();
  }

  @Override
  public boolean isUp() {
    return true;
  }

  @Override
  public String describe() {
    return "feed-losing in-process broker";
  }

  @Override
  public Future<Void> close() {
    return inner.close();
  }

  /** From now on history answers wait for {@link #releaseHistory()}. */
  public void holdHistory() {
    onServer(() -> holdingHistory = true);
  }

  /** History requests fail, or answer again. */
  public void failHistory(boolean failing) {
    onServer(() -> failingHistory = failing);
  }

  public int heldHistoryAnswers() {
    return onServer(heldAnswers::size);
  }

  /** Live messages stop reaching the server; they still go to history. */
  public void loseFeed() {
    onServer(() -> feedUp = false);
  }

  /** Live messages flow again and the server is told to catch up, as after a reconnect. */
  public void regainFeed() {
    onServer(
        () -> {
          feedUp = true;
          List.copyOf(subscribed).forEach(listener::onResubscribed);
        });
  }

  /** Answers the held history requests in the order they were asked; later ones answer at once. */
  public void releaseHistory() {
    onServer(
        () -> {
          holdingHistory = false;
          List<Runnable> answers = List.copyOf(heldAnswers);
          heldAnswers.clear();
          answers.forEach(Runnable::run);
        });
  }

  private void onServer(Runnable action) {
    onServer(
        () -> {
          action.run();
          return null;
        });
  }

  /** Runs on the server's event loop, where the broker's callers run, and waits for it. */
  private <T> T onServer(java.util.function.Supplier<T> action) {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            done.complete(action.get());
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        });
    try {
      return done.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
