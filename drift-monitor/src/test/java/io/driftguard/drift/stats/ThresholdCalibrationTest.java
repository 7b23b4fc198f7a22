package io.driftguard.drift.stats;

import static io.driftguard.drift.stats.StatsFixtures.decileBins;
import static io.driftguard.drift.stats.StatsFixtures.gaussian;
import static io.driftguard.drift.stats.StatsFixtures.std;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

class ThresholdCalibrationTest {

    private static final int WINDOW = 400;

    private static NumericReference referenceOf(final double[] sample) {
        final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(200);
        for (final double v : sample) {
            sketch.update(v);
        }
        return new NumericReference(decileBins(sample), ReferenceDistribution.ofSketch(sketch), std(sample), 0.0);
    }

    /** Share of fresh stationary windows whose PSI reaches the threshold. */
    private static double falseAlarmRate(final NumericReference reference, final double threshold, final int windows,
            final long seed) {
        final Random random = new Random(seed);
        int alarms = 0;
        for (int w = 0; w < windows; w++) {
            final NumericWindowState state = NumericWindowState.empty(reference.bins());
            for (int i = 0; i < WINDOW; i++) {
                state.update(random.nextGaussian());
            }
            if (DriftStatistics.psi(reference.bins(), state) >= threshold) {
                alarms++;
            }
        }
        return (double) alarms / windows;
    }

    @Test
    void shouldMatchChosenQuantileFalseAlarmRateWhenDataIsStationary() {
        // Given: a reference sample from N(0,1) and the 95% quantile rule on 1000 bootstrap windows.
        final double[] sample = gaussian(41, 20_000, 0.0, 1.0);
        final NumericReference reference = referenceOf(sample);

        // When
        final ThresholdCalibration.CalibratedThreshold calibrated = ThresholdCalibration.calibrateNumeric(reference,
                sample, Statistic.PSI, WINDOW, 1000, ThresholdCalibration.Rule.quantile(0.95), 42);
        final double rate = falseAlarmRate(reference, calibrated.threshold(), 2000, 43);

        // Then: expected 5%; tolerance 0.025 is about 3 standard errors of the bootstrap quantile (+-0.7 points)
        // and of the 2000-window estimate (+-0.5 points) combined.
        assertThat(rate).isCloseTo(0.05, within(0.025));
        assertThat(calibrated.threshold()).isGreaterThan(calibrated.mean());
    }

    @Test
    void shouldSetMeanPlusThreeSigmaWhenRuleIsSigmas() {
        // Given
        final double[] sample = gaussian(44, 20_000, 0.0, 1.0);
        final NumericReference reference = referenceOf(sample);

        // When
        final ThresholdCalibration.CalibratedThreshold calibrated = ThresholdCalibration.calibrateNumeric(reference,
                sample, Statistic.PSI, WINDOW, 500, ThresholdCalibration.Rule.meanPlusSigmas(3), 45);
        final double rate = falseAlarmRate(reference, calibrated.threshold(), 1000, 46);

        // Then: PSI's null distribution is right-skewed (about chi-square with 9 df / 2n), so 3 sigma sits near its
        // 99.5% quantile: the false-alarm rate is small but not zero.
        assertThat(calibrated.threshold()).isCloseTo(calibrated.mean() + 3 * calibrated.std(), within(1e-12));
        // PSI ~ chi2(9) / n for stationary bins, mean about 9 / 400.
        assertThat(calibrated.mean()).isCloseTo(9.0 / WINDOW, within(0.006));
        assertThat(rate).isLessThan(0.02);
    }

    @Test
    void shouldRefuseStatisticWithOwnNullDistributionWhenCalibratingNumeric() {
        final double[] sample = gaussian(47, 1000, 0.0, 1.0);
        assertThatThrownBy(() -> ThresholdCalibration.calibrateNumeric(referenceOf(sample), sample, Statistic.KS,
                100, 100, ThresholdCalibration.Rule.quantile(0.99), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("statistic:");
        assertThatThrownBy(() -> ThresholdCalibration.Rule.quantile(1.0)).hasMessageStartingWith("parameter:");
    }
}
