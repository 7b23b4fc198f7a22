package io.driftguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.Decision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SliceErrorsTest {
  private static final long ONSET = Instant.parse("2026-01-02T00:00:00Z").toEpochMilli();

  private static RunStats.Published live(final String at, final String channel, final String country) {
    return new RunStats.Published(0, Instant.parse(at).toEpochMilli(), true, false, false, channel, country);
  }

  @Test
  void shouldCountFalsePositivesAndNegativesPerSliceAndPeriodWhenDecisionsMeetLabels() {
    // Given four labelled live events around the onset, one backfill event and one without a label
    final Map<String, RunStats.Published> published = Map.of(
        "fp", live("2026-01-01T10:00:00Z", "ONLINE", "DE"),
        "tp", live("2026-01-01T11:00:00Z", "ONLINE", "FR"),
        "fn", live("2026-01-02T10:00:00Z", "ONLINE", "DE"),
        "tn", live("2026-01-02T11:00:00Z", "POS", "DE"),
        "backfill", new RunStats.Published(0, ONSET - 1, false, false, false, "POS", "DE"),
        "unlabelled", live("2026-01-02T12:00:00Z", "POS", "DE"));
    final Map<String, Decision> decisions = Map.of("fp", Decision.POSITIVE, "tp", Decision.POSITIVE,
        "fn", Decision.NEGATIVE, "tn", Decision.NEGATIVE, "backfill", Decision.POSITIVE,
        "unlabelled", Decision.POSITIVE);
    final Map<String, Integer> labels = Map.of("fp", 0, "tp", 1, "fn", 1, "tn", 0, "backfill", 0);

    // When
    final List<SliceErrors.Row> rows = SliceErrors.compute(published, decisions, labels, ONSET);

    // Then every labelled live event counts once per slice, in its period
    assertThat(rows).containsExactly(
        new SliceErrors.Row("channel=ONLINE", SliceErrors.BEFORE, 2, 1, 1, 0),
        new SliceErrors.Row("country=DE", SliceErrors.BEFORE, 1, 0, 1, 0),
        new SliceErrors.Row("country=FR", SliceErrors.BEFORE, 1, 1, 0, 0),
        new SliceErrors.Row("channel=ONLINE", SliceErrors.AFTER, 1, 1, 0, 1),
        new SliceErrors.Row("channel=POS", SliceErrors.AFTER, 1, 0, 0, 0),
        new SliceErrors.Row("country=DE", SliceErrors.AFTER, 2, 1, 0, 1));
    assertThat(rows.get(0).falsePositiveRate()).isEqualTo(1.0);
    assertThat(rows.get(3).falseNegativeRate()).isEqualTo(1.0);
    assertThat(rows.get(4).falseNegativeRate()).isNaN();
    assertThat(SliceErrors.html(rows)).contains("<td>before onset</td><td>channel=ONLINE</td>", "100.0%", "n/a");
  }

  @Test
  void shouldUseOnePeriodWhenThereIsNoOnset() {
    // Given one labelled event of a steady run
    final Map<String, RunStats.Published> published = Map.of("e", live("2026-01-01T10:00:00Z", "ATM", "NL"));

    // When
    final List<SliceErrors.Row> rows = SliceErrors.compute(published, Map.of("e", Decision.NEGATIVE),
        Map.of("e", 0), null);

    // Then
    assertThat(rows).extracting(SliceErrors.Row::period).containsOnly(SliceErrors.WHOLE);
    assertThat(rows).hasSize(2);
  }
}
