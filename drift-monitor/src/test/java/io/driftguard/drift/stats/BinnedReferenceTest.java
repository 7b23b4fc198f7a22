package io.driftguard.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/** KS and Wasserstein against a reference known only through its bins, checked against direct computations. */
class BinnedReferenceTest {

    private static final ReferenceBins BINS = new ReferenceBins(new double[] {-1.0, -0.25, 0.25, 1.0},
            new double[] {0.15, 0.25, 0.2, 0.25, 0.15});

    private static NumericWindowState window(final double shift, final int n, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final NumericWindowState state = NumericWindowState.empty(BINS);
        for (int i = 0; i < n; i++) {
            state.update(random.nextGaussian() + shift);
        }
        return state;
    }

    @Test
    void shouldTakeKsOverTheEdgesFromExactBinCountsWhenTheReferenceIsBinned() {
        // Given
        final ReferenceDistribution reference = ReferenceDistribution.ofBins(BINS, 5000);
        final NumericWindowState window = window(0.3, 800, 1);

        // When
        final KsResult ks = DriftStatistics.ks(reference, window);

        // Then: D = max over edges of |window share below the edge - reference share below it|
        final long[] counts = window.binCounts();
        double d = 0;
        double w = 0;
        double r = 0;
        for (int i = 0; i < counts.length - 1; i++) {
            w += counts[i];
            r += BINS.proportions()[i];
            d = Math.max(d, Math.abs(w / window.count() - r));
        }
        assertThat(ks.statistic()).isCloseTo(d, within(1e-12));
        assertThat(ks.errorBound()).isZero();
        assertThat(ks.pValue()).isCloseTo(new KolmogorovSmirnovTest().approximateP(d, 800, 5000), within(1e-12));
        assertThat(ks.conservativePValue()).isEqualTo(ks.pValue());
    }

    @Test
    void shouldIntegrateWassersteinBetweenTheFirstAndLastEdgeWhenTheReferenceIsBinned() {
        // Given: a window small enough for its sketch to hold every value exactly
        final ReferenceDistribution reference = ReferenceDistribution.ofBins(BINS, 5000);
        final NumericWindowState window = window(0.5, 150, 2);
        final double std = 0.9;

        // When
        final double w1 = DriftStatistics.wasserstein(reference, window, std);

        // Then: midpoint-rule integral of |F_window - F_reference| over [-1, 1], F_reference linear between edges
        final double[] values = new double[150];
        final SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian() + 0.5;
        }
        Arrays.sort(values);
        final double[] xs = {-1.0, -0.25, 0.25, 1.0};
        final double[] fs = {0.15, 0.40, 0.60, 0.85};
        final int steps = 200_000;
        final double h = 2.0 / steps;
        double integral = 0;
        for (int s = 0; s < steps; s++) {
            final double x = -1.0 + (s + 0.5) * h;
            int seg = 0;
            while (x > xs[seg + 1]) {
                seg++;
            }
            final double fr = fs[seg] + (fs[seg + 1] - fs[seg]) * (x - xs[seg]) / (xs[seg + 1] - xs[seg]);
            int below = 0;
            while (below < values.length && values[below] <= x) {
                below++;
            }
            integral += Math.abs((double) below / values.length - fr) * h;
        }
        assertThat(w1).isCloseTo(integral / std, within(1e-4));
        assertThat(DriftStatistics.wasserstein(reference, window(0.0, 150, 3), std)).isLessThan(w1);
    }
}
