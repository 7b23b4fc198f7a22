package io.driftguard.drift.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.Prediction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WindowAggregateTest {

    private static final Instant T = Instant.parse("2026-11-02T10:00:00Z");

    @Test
    void shouldCountButNotMeasureAPredictionScoredBeforeItsFeaturesArrivedWhenFlaggedFeaturesLate() {
        // Given a window with one on-time prediction
        final SplittableRandom random = new SplittableRandom(7);
        final WindowAggregate window = new WindowAggregate();
        window.add(DriftFixture.prediction("e-1", T, random, DriftFixture.Draw.STATIONARY), Optional.empty());

        // When a prediction flagged FEATURES_LATE arrives
        final Prediction late = DriftFixture.prediction("e-2", T, random, DriftFixture.Draw.STATIONARY);
        late.setReasonCodes(List.of("FEATURES_LATE"));
        window.add(late, Optional.empty());

        // Then it counts as a prediction, not as an observation of any feature, and survives a round trip
        final WindowAggregate decoded = WindowAggregate.fromBytes(window.toBytes());
        assertThat(decoded.predictions).isEqualTo(2);
        assertThat(decoded.featuresLate).isEqualTo(1);
        assertThat(decoded.features.get("amount").observations).isEqualTo(1);
        assertThat(decoded.features.get("velocity").observations).isEqualTo(1);
    }
}
