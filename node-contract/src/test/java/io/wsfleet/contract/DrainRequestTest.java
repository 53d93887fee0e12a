package io.wsfleet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DrainRequestTest {

  @Test
  void aFullDrainSendsRateAndDeadline() {
    assertThat(DrainRequest.full(200, 120).toJson())
        .isEqualTo("{\"ratePerSecond\":200,\"deadlineSeconds\":120}");
  }

  @Test
  void aPartialDrainAddsTheCount() {
    DrainRequest partial = DrainRequest.partial(20, 60, 5);

    assertThat(partial.isFull()).isFalse();
    assertThat(partial.toJson())
        .isEqualTo("{\"ratePerSecond\":20,\"deadlineSeconds\":60,\"count\":5}");
  }

  @Test
  void absentFieldsAreLeftOut() {
    assertThat(new DrainRequest(null, null, null).toJson()).isEqualTo("{}");
    assertThat(new DrainRequest(null, null, 3L).toJson()).isEqualTo("{\"count\":3}");
  }
}
