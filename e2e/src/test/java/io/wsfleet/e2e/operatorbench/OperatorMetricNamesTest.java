package io.wsfleet.e2e.operatorbench;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsfleet.operator.metrics.OperatorMetrics;
import io.wsfleet.operator.metrics.ReconcileMetrics;
import org.junit.jupiter.api.Test;

/** The benchmark reads the operator's metrics by name: its copies are the operator's names. */
class OperatorMetricNamesTest {

  @Test
  void theBenchmarkReadsTheMetricsTheOperatorExposes() {
    assertThat(PhaseFigures.RECONCILE_HISTOGRAM).isEqualTo(ReconcileMetrics.RECONCILE_SECONDS);
    assertThat(PhaseFigures.FAILED).isEqualTo(ReconcileMetrics.RECONCILE_FAILURES + "_total");
    assertThat(PhaseFigures.SCRAPE_ERRORS).isEqualTo(OperatorMetrics.SCRAPE_ERRORS + "_total");
  }
}
