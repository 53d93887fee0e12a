package io.wsfleet.e2e.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsfleet.operator.drain.DrainState;
import io.wsfleet.operator.reconciler.FleetLabels;
import io.wsfleet.operator.reconciler.PodFactory;
import org.junit.jupiter.api.Test;

/** The scenario observes the operator's pods by names the operator writes: they must agree. */
class SharedNamesTest {

  @Test
  void theScenarioReadsTheLabelsAndAnnotationsTheOperatorWrites() {
    assertThat(PodWatch.FLEET_LABEL).isEqualTo(FleetLabels.FLEET);
    assertThat(PodWatch.STATE_LABEL).isEqualTo(FleetLabels.STATE);
    assertThat(PodWatch.SERVING).isEqualTo(FleetLabels.SERVING);
    assertThat(PodWatch.DRAINING).isEqualTo(FleetLabels.DRAINING);
    assertThat(LeaderHandOver.DRAIN_REASON).isEqualTo(DrainState.REASON);
    assertThat(LeaderHandOver.SCALE_DOWN).isEqualTo(DrainState.SCALE_DOWN);
    assertThat(PodFacts.TOKEN_DIR).isEqualTo(PodFactory.TOKEN_DIR);
  }
}
