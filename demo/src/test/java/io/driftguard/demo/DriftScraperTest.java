package io.driftguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DriftScraperTest {

  private static final String SCRAPE = String.join("\n",
      "# HELP driftguard_drift_statistic A drift statistic of the last closed window",
      "# TYPE driftguard_drift_statistic gauge",
      "driftguard_drift_statistic{app=\"d\",arm=\"CHAMPION\",feature=\"amount\",instance=\"demo\","
          + "model_name=\"fraud\",model_version=\"v1\",statistic=\"psi\",} 0.0123",
      "driftguard_drift_statistic{app=\"d\",arm=\"CANARY\",feature=\"amount\",instance=\"demo\","
          + "model_name=\"fraud\",model_version=\"v2\",statistic=\"psi\",} NaN",
      "driftguard_drift_window_predictions{app=\"d\",arm=\"CHAMPION\",model_name=\"fraud\",model_version=\"v1\",} 450.0",
      "");

  @Test
  void shouldRecordOnePointPerWindowWhenTheGaugeChanges() {
    // Given
    final RunStats stats = new RunStats(System.currentTimeMillis());

    // When the same exposition is scraped twice, then a changed value once
    final int found = DriftScraper.parse(SCRAPE, stats);
    DriftScraper.parse(SCRAPE, stats);
    DriftScraper.parse(SCRAPE.replace("} 0.0123", "} 0.2"), stats);

    // Then only the finite drift statistic counts, and an unchanged gauge is the same window
    assertThat(found).isEqualTo(1);
    assertThat(stats.driftPoints()).extracting(RunStats.DriftPoint::value).containsExactly(0.0123, 0.2);
    final RunStats.DriftPoint p = stats.driftPoints().get(0);
    assertThat(p.version()).isEqualTo("v1");
    assertThat(p.arm()).isEqualTo("CHAMPION");
    assertThat(p.feature()).isEqualTo("amount");
    assertThat(p.statistic()).isEqualTo("psi");
  }
}
