package io.driftguard.drift.stats;

import static io.driftguard.drift.stats.StatsFixtures.decileBins;
import static io.driftguard.drift.stats.StatsFixtures.gaussian;
import static io.driftguard.drift.stats.StatsFixtures.std;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

class DriftEvaluatorTest {

    private static final double[] REFERENCE_SAMPLE = gaussian(31, 50_000, 0.0, 1.0);
    private static final NumericReference REFERENCE = referenceOf(REFERENCE_SAMPLE);

    private static NumericReference referenceOf(final double[] sample) {
        final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(200);
        for (final double v : sample) {
            sketch.update(v);
        }
        return new NumericReference(decileBins(sample), ReferenceDistribution.ofSketch(sketch), std(sample), 0.0);
    }

    private static Level levelOf(final List<StatisticVerdict> verdicts, final Statistic statistic) {
        return verdicts.stream().filter(v -> v.statistic() == statistic).findFirst().orElseThrow().level();
    }

    @Test
    void shouldBeCleanWhenWindowComesFromReferenceDistribution() {
        // Given
        final NumericWindowState window = StatsFixtures.window(REFERENCE.bins(), 200, gaussian(32, 5000, 0.0, 1.0));

        // When
        final List<StatisticVerdict> verdicts = new DriftEvaluator(DriftThresholds.defaults()).evaluate(REFERENCE,
                window);

        // Then
        assertThat(verdicts).extracting(StatisticVerdict::level).containsOnly(Level.CLEAN);
        assertThat(verdicts).extracting(StatisticVerdict::statistic).containsExactly(Statistic.PSI,
                Statistic.JS_DISTANCE, Statistic.KS, Statistic.WASSERSTEIN, Statistic.NULL_RATE_DIFF);
    }

    @Test
    void shouldBreachEveryNumericStatisticWhenMeanShiftsByOneStd() {
        // Given
        final NumericWindowState window = StatsFixtures.window(REFERENCE.bins(), 200, gaussian(33, 5000, 1.0, 1.0));
        for (int i = 0; i < 2000; i++) {
            window.updateMissing();
        }

        // When
        final List<StatisticVerdict> verdicts = new DriftEvaluator(DriftThresholds.defaults()).evaluate(REFERENCE,
                window);

        // Then
        assertThat(levelOf(verdicts, Statistic.PSI)).isEqualTo(Level.CRITICAL);
        assertThat(levelOf(verdicts, Statistic.JS_DISTANCE)).isEqualTo(Level.WARNING);
        assertThat(levelOf(verdicts, Statistic.KS)).isEqualTo(Level.WARNING);
        assertThat(levelOf(verdicts, Statistic.WASSERSTEIN)).isEqualTo(Level.WARNING);
        assertThat(levelOf(verdicts, Statistic.NULL_RATE_DIFF)).isEqualTo(Level.CRITICAL);
        assertThat(verdicts.get(0).threshold()).isEqualTo(0.2);
    }

    @Test
    void shouldGiveNoVerdictWhenWindowIsBelowMinimumSampleSize() {
        // Given
        final NumericWindowState window = StatsFixtures.window(REFERENCE.bins(), 200, gaussian(34, 99, 5.0, 1.0));

        // When
        final List<StatisticVerdict> verdicts = new DriftEvaluator(DriftThresholds.defaults()).evaluate(REFERENCE,
                window);

        // Then
        assertThat(verdicts).extracting(StatisticVerdict::level).containsOnly(Level.INSUFFICIENT_DATA);
    }

    @Test
    void shouldGradePValuesBelowAlphaAsBreachWhenThresholdIsBelow() {
        // Given
        final Threshold alpha = Threshold.below(0.01, 0.001);

        // When / Then
        assertThat(alpha.levelOf(0.5)).isEqualTo(Level.CLEAN);
        assertThat(alpha.levelOf(0.01)).isEqualTo(Level.CLEAN);
        assertThat(alpha.levelOf(0.005)).isEqualTo(Level.WARNING);
        assertThat(alpha.levelOf(0.0001)).isEqualTo(Level.CRITICAL);
        assertThat(Threshold.above(0.1, 0.2).levelOf(0.1)).isEqualTo(Level.WARNING);
        assertThatThrownBy(() -> Threshold.above(0.2, 0.1)).hasMessageStartingWith("critical:");
    }

    @Test
    void shouldGradeWassersteinFromOneThousandValuesUnlessItsThresholdIsCalibratedWhenWindowIsSmall() {
        // Given: 500 values shifted by one std (W1 about 1.0)
        final NumericWindowState window = StatsFixtures.window(REFERENCE.bins(), 200, gaussian(35, 500, 1.0, 1.0));

        // When
        final List<StatisticVerdict> fixed = new DriftEvaluator(DriftThresholds.defaults()).evaluate(REFERENCE,
                window);
        final List<StatisticVerdict> calibrated = new DriftEvaluator(DriftThresholds.defaults()
                .with(Statistic.WASSERSTEIN, Threshold.above(0.12))).evaluate(REFERENCE, window);

        // Then: against the fixed 0.1 default 500 values are below the noise-floor minimum (1,000), PSI still grades
        assertThat(levelOf(fixed, Statistic.WASSERSTEIN)).isEqualTo(Level.INSUFFICIENT_DATA);
        assertThat(levelOf(fixed, Statistic.PSI)).isEqualTo(Level.CRITICAL);
        assertThat(DriftThresholds.defaults().minSampleSize(Statistic.WASSERSTEIN)).isEqualTo(1000);
        // ... a calibrated threshold holds the noise of its window size and is graded from the usual minimum (100)
        assertThat(levelOf(calibrated, Statistic.WASSERSTEIN)).isEqualTo(Level.WARNING);
    }
}
