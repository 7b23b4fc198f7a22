package io.driftguard.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BinnedDivergenceTest {

    private static final ReferenceBins QUARTERS = new ReferenceBins(new double[] {1.0, 2.0, 3.0},
            new double[] {0.25, 0.25, 0.25, 0.25});

    @Test
    void shouldMatchHandWorkedPsiWhenWindowShifts() {
        // Given: q = (0.1, 0.2, 0.3, 0.4) against p = 0.25 each.
        // By hand: -0.15 ln 0.4 - 0.05 ln 0.8 + 0.05 ln 1.2 + 0.15 ln 1.6
        //        = 0.137444 + 0.011157 + 0.009116 + 0.070501 = 0.228217
        final long[] counts = {10, 20, 30, 40};

        // When
        final double psi = DriftStatistics.psi(QUARTERS, counts, 1e-9);

        // Then
        assertThat(psi).isCloseTo(0.228217, within(1e-6));
    }

    @Test
    void shouldSmoothEmptyBinWithEpsilonWhenWindowHasNoObservationsInABin() {
        // Given: p = (0.5, 0.5), window all in bin 1, eps = 0.01.
        // Smoothed: p' = (0.51/1.02, 0.51/1.02) = (0.5, 0.5); q' = (0.01/1.02, 1.01/1.02) = (0.0098039, 0.9901961)
        // PSI = (0.0098039 - 0.5) ln(0.0196078) + (0.9901961 - 0.5) ln(1.9803922) = 1.927366 + 0.334948 = 2.262314
        final ReferenceBins halves = new ReferenceBins(new double[] {0.0}, new double[] {0.5, 0.5});

        // When
        final double psi = DriftStatistics.psi(halves, new long[] {0, 100}, 0.01);

        // Then
        assertThat(psi).isCloseTo(2.262314, within(1e-6));
    }

    @Test
    void shouldGiveZeroPsiAndJsWhenWindowMatchesReference() {
        // Given
        final long[] counts = {250, 250, 250, 250};

        // When / Then
        assertThat(DriftStatistics.psi(QUARTERS, counts, 1e-4)).isCloseTo(0.0, within(1e-15));
        assertThat(DriftStatistics.jsDistance(QUARTERS, counts)).isCloseTo(0.0, within(1e-7));
    }

    @Test
    void shouldMatchEntropyFormOfJensenShannonWhenDistributionsDiffer() {
        // Given
        final long[] counts = {5, 15, 30, 50};
        final double[] p = {0.25, 0.25, 0.25, 0.25};
        final double[] q = {0.05, 0.15, 0.30, 0.50};
        final double[] m = new double[4];
        for (int i = 0; i < 4; i++) {
            m[i] = (p[i] + q[i]) / 2;
        }
        // Independent form: JSD = H(M) - (H(P) + H(Q)) / 2, entropies in bits.
        final double expected = Math.sqrt(entropy(m) - (entropy(p) + entropy(q)) / 2);

        // When
        final double js = DriftStatistics.jsDistance(QUARTERS, counts);

        // Then
        assertThat(js).isCloseTo(expected, within(1e-12)).isBetween(0.0, 1.0);
    }

    @Test
    void shouldGiveOneJsDistanceWhenSupportsAreDisjoint() {
        // Given
        final ReferenceBins firstHalf = new ReferenceBins(new double[] {0.0}, new double[] {1.0, 0.0});

        // When
        final double js = DriftStatistics.jsDistance(firstHalf, new long[] {0, 40});

        // Then
        assertThat(js).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void shouldNameTheInputWhenCountsDoNotMatchBins() {
        assertThatThrownBy(() -> DriftStatistics.psi(QUARTERS, new long[] {1, 2}, 1e-4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("counts:");
        assertThatThrownBy(() -> DriftStatistics.psi(QUARTERS, new long[] {1, 2, 3, 4}, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("epsilon:");
        assertThatThrownBy(() -> new ReferenceBins(new double[] {2.0, 1.0}, new double[] {0.2, 0.3, 0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("edges[1]:");
        assertThatThrownBy(() -> new ReferenceBins(new double[] {1.0}, new double[] {0.2, 0.3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("proportions:");
    }

    @Test
    void shouldPutValuesOnEdgesIntoUpperBinWhenBinning() {
        assertThat(QUARTERS.binOf(0.5)).isZero();
        assertThat(QUARTERS.binOf(1.0)).isEqualTo(1);
        assertThat(QUARTERS.binOf(2.999)).isEqualTo(2);
        assertThat(QUARTERS.binOf(3.0)).isEqualTo(3);
        assertThat(QUARTERS.binOf(1e9)).isEqualTo(3);
    }

    private static double entropy(final double[] distribution) {
        double h = 0.0;
        for (final double v : distribution) {
            if (v > 0) {
                h -= v * Math.log(v) / Math.log(2);
            }
        }
        return h;
    }
}
