package io.driftguard.drift.stats;

import static io.driftguard.drift.stats.StatsFixtures.decileBins;
import static io.driftguard.drift.stats.StatsFixtures.exactWasserstein;
import static io.driftguard.drift.stats.StatsFixtures.gaussian;
import static io.driftguard.drift.stats.StatsFixtures.std;
import static io.driftguard.drift.stats.StatsFixtures.uniform;
import static io.driftguard.drift.stats.StatsFixtures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

class SketchStatisticsTest {

    /** Large enough that a few thousand items are held exactly: the sketch then is the sample. */
    private static final int EXACT_K = 8192;

    private static KllDoublesSketch sketchOf(final int k, final double[] values) {
        final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(k);
        for (final double v : values) {
            sketch.update(v);
        }
        return sketch;
    }

    @Test
    void shouldEqualCommonsMathKsWhenSketchesHoldEverySample() {
        // Given
        final double[] reference = gaussian(1, 3000, 0.0, 1.0);
        final double[] current = gaussian(2, 2500, 0.15, 1.0);
        final ReferenceBins bins = decileBins(reference);
        final KolmogorovSmirnovTest commons = new KolmogorovSmirnovTest();

        // When
        final KsResult ks = DriftStatistics.ks(ReferenceDistribution.ofSketch(sketchOf(EXACT_K, reference)),
                window(bins, EXACT_K, current));

        // Then
        assertThat(ks.errorBound()).isZero();
        assertThat(ks.statistic()).isCloseTo(commons.kolmogorovSmirnovStatistic(current, reference), within(1e-12));
        assertThat(ks.pValue()).isCloseTo(commons.kolmogorovSmirnovTest(current, reference), within(1e-12));
        assertThat(ks.pValue()).isLessThan(0.01);
    }

    @Test
    void shouldStayWithinSketchErrorOfCommonsMathKsWhenSketchesCompact() {
        // Given: 40k and 60k items through k = 200 sketches (estimation mode).
        final double[] reference = gaussian(3, 60_000, 0.0, 1.0);
        final double[] current = gaussian(4, 40_000, 0.02, 1.0);
        final KolmogorovSmirnovTest commons = new KolmogorovSmirnovTest();
        final double exactD = commons.kolmogorovSmirnovStatistic(current, reference);
        final double exactP = commons.kolmogorovSmirnovTest(current, reference);

        // When
        final KsResult ks = DriftStatistics.ks(ReferenceDistribution.ofSketch(sketchOf(200, reference)),
                window(decileBins(reference), 200, current));

        // Then
        assertThat(ks.errorBound()).isPositive().isLessThan(0.04);
        assertThat(ks.statistic()).isCloseTo(exactD, within(ks.errorBound()));
        assertThat(ks.conservativePValue()).isGreaterThanOrEqualTo(exactP);
        final double pAtUpperD = new KolmogorovSmirnovTest().approximateP(ks.statistic() + ks.errorBound(), 40_000,
                60_000);
        assertThat(exactP).isBetween(pAtUpperD, ks.conservativePValue());
    }

    @Test
    void shouldGiveZeroKsAndWassersteinWhenWindowIsTheReferenceSample() {
        // Given
        final double[] sample = gaussian(5, 50_000, 3.0, 2.0);
        final KllDoublesSketch sketch = sketchOf(200, sample);
        final NumericWindowState state = window(decileBins(sample), 200, sample);

        // When
        final KsResult ks = DriftStatistics.ks(ReferenceDistribution.ofSketch(sketch), state);
        final double w = DriftStatistics.wasserstein(ReferenceDistribution.ofSketch(sketch), state, 2.0);

        // Then: the same values, but KLL compaction flips coins, so the two sketches differ within their error.
        // (Measured over 300 runs: D <= 0.4 bound, W1 / std <= 0.061.)
        assertThat(ks.statistic()).isLessThanOrEqualTo(ks.errorBound());
        assertThat(ks.conservativePValue()).isEqualTo(1.0);
        final double range = state.max() - state.min();
        assertThat(w).isLessThanOrEqualTo(ks.errorBound() * range / 2.0);
    }

    @Test
    void shouldEqualExactWassersteinWhenSketchesHoldEverySample() {
        // Given
        final double[] reference = gaussian(6, 4000, 0.0, 1.0);
        final double[] current = gaussian(7, 3000, 0.5, 1.5);
        final double referenceStd = std(reference);

        // When
        final double w = DriftStatistics.wasserstein(ReferenceDistribution.ofSketch(sketchOf(EXACT_K, reference)),
                window(decileBins(reference), EXACT_K, current), referenceStd);

        // Then
        assertThat(w).isCloseTo(exactWasserstein(current, reference) / referenceStd, within(1e-9));
    }

    @Test
    void shouldGiveKnownShiftAsWassersteinWhenWindowIsShiftedCopy() {
        // Given: the window is the reference moved by 0.5 std, so W1 / std is exactly 0.5.
        final double[] reference = gaussian(8, 5000, 10.0, 2.0);
        final double[] shifted = Arrays.stream(reference).map(v -> v + 1.0).toArray();

        // When
        final double w = DriftStatistics.wasserstein(ReferenceDistribution.ofSketch(sketchOf(EXACT_K, reference)),
                window(decileBins(reference), EXACT_K, shifted), 2.0);

        // Then
        assertThat(w).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void shouldStayWithinSketchErrorOfExactWassersteinWhenSketchesCompact() {
        // Given: uniform data, so the support has width 1 and |dW| <= (eps_w + eps_r) * 1 / std.
        final double[] reference = uniform(9, 80_000);
        final double[] current = Arrays.stream(uniform(10, 50_000)).map(v -> 0.9 * v + 0.1).toArray();
        final double referenceStd = std(reference);
        final NumericWindowState state = window(decileBins(reference), 200, current);
        final ReferenceDistribution ref = ReferenceDistribution.ofSketch(sketchOf(200, reference));

        // When
        final double w = DriftStatistics.wasserstein(ref, state, referenceStd);

        // Then
        final double bound = (state.rankError() + ref.rankError()) / referenceStd;
        assertThat(w).isCloseTo(exactWasserstein(current, reference) / referenceStd, within(bound));
    }

    @Test
    void shouldUseInterpolatedQuantilesWhenReferenceIsSortedQuantiles() {
        // Given: the reference as its 1001 quantiles at ranks i/1000.
        final double[] reference = uniform(11, 100_000);
        final double[] sorted = reference.clone();
        Arrays.sort(sorted);
        final double[] quantiles = new double[1001];
        for (int i = 0; i <= 1000; i++) {
            quantiles[i] = sorted[(int) Math.min(sorted.length - 1, Math.round(i / 1000.0 * (sorted.length - 1)))];
        }
        final double[] current = Arrays.stream(uniform(12, 3000)).map(v -> v * v).toArray();
        final ReferenceDistribution ref = ReferenceDistribution.ofSortedQuantiles(quantiles, reference.length);
        final NumericWindowState state = window(decileBins(reference), EXACT_K, current);
        final KolmogorovSmirnovTest commons = new KolmogorovSmirnovTest();

        // When
        final KsResult ks = DriftStatistics.ks(ref, state);
        final double w = DriftStatistics.wasserstein(ref, state, std(reference));

        // Then: the interpolated CDF is within 1/1000 (+ sampling of the quantiles) of the sample's.
        assertThat(ref.rankError()).isEqualTo(0.001);
        assertThat(ks.statistic()).isCloseTo(commons.kolmogorovSmirnovStatistic(current, reference),
                within(ks.errorBound() + 1e-4));
        assertThat(w).isCloseTo(exactWasserstein(current, reference) / std(reference),
                within((ks.errorBound() + 1e-4) / std(reference)));
        assertThat(ks.referenceCount()).isEqualTo(100_000);
    }
}
