package io.wsfleet.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScrapeFailuresTest {

  private static final ResourceID CHAT = new ResourceID("chat", "apps");
  private static final ResourceID NEWS = new ResourceID("news", "apps");

  @Test
  void oneFleetsRoundKeepsAnotherFleetsCount() {
    ScrapeFailures failures = new ScrapeFailures();
    failures.failed(CHAT, "chat-pod");
    failures.failed(CHAT, "chat-pod");

    // news scrapes its own pod: chat's count must survive it.
    failures.answered(NEWS, "news-pod");
    failures.retainPods(NEWS, Set.of("news-pod"));

    assertThat(failures.failed(CHAT, "chat-pod")).isEqualTo(3);
  }

  @Test
  void anAnswerResetsAndADepartedPodOrFleetIsForgotten() {
    ScrapeFailures failures = new ScrapeFailures();
    failures.failed(CHAT, "a");
    failures.failed(CHAT, "b");
    failures.answered(CHAT, "a");
    assertThat(failures.inARow(CHAT, "a")).isZero();
    assertThat(failures.inARow(CHAT, "b")).isEqualTo(1);

    failures.retainPods(CHAT, Set.of("a"));
    assertThat(failures.inARow(CHAT, "b")).isZero();

    failures.failed(NEWS, "n");
    failures.retainFleets(List.of(CHAT));
    assertThat(failures.inARow(NEWS, "n")).isZero();
  }
}
