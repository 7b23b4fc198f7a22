package io.driftguard.drift.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.drift.stats.DriftStatistics;
import io.driftguard.drift.stats.KsResult;
import io.driftguard.drift.stats.NumericReference;
import io.driftguard.drift.stats.NumericWindowState;
import io.driftguard.model.profile.NumericProfile;
import io.driftguard.model.profile.ProfileBuilder;
import io.driftguard.model.profile.ScoreProfile;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The manifest profile to reference conversion: quantiles when the profile has them, bins for old manifests. */
class ModelReferenceTest {

    private static double[] gaussian(final int n, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    /** The profile as an old manifest has it: the same bins and stats, no quantiles. */
    private static NumericProfile withoutQuantiles(final NumericProfile p) {
        return new NumericProfile(p.name(), p.count(), p.nullRate(), p.binEdges(), p.proportions(), p.mean(),
                p.std(), p.min(), p.max());
    }

    /** 2,000 reference-like values, except that every value above the top decile edge moves up by 5 sigma. */
    private static NumericWindowState tailShiftedWindow(final NumericReference reference) {
        final double top = reference.bins().edges()[reference.bins().edges().length - 1];
        final NumericWindowState window = NumericWindowState.empty(reference.bins());
        for (final double v : gaussian(2000, 7)) {
            window.update(v > top ? v + 5.0 : v);
        }
        return window;
    }

    @Test
    void shouldSeeATailShiftWithKsWhenTheProfileCarriesQuantiles() {
        // Given a profile with quantiles, and the same profile as an old manifest would hold it
        final NumericProfile profile = ProfileBuilder.numeric("amount", gaussian(20_000, 1), 10);
        final NumericReference full = ModelReference.numericReference(profile).orElseThrow();
        final NumericReference binned = ModelReference.numericReference(withoutQuantiles(profile)).orElseThrow();
        final NumericWindowState window = tailShiftedWindow(full);

        // When
        final KsResult ksFull = DriftStatistics.ks(full.distribution(), window);
        final KsResult ksBinned = DriftStatistics.ks(binned.distribution(), window);
        final double wFull = DriftStatistics.wasserstein(full.distribution(), window, full.std());
        final double wBinned = DriftStatistics.wasserstein(binned.distribution(), window, binned.std());

        // Then: KS on the quantile CDF sees the top 10% move (D ~ 0.1); over the bin edges it cannot (the shift stays
        // inside the open top bin), which is why the bins are only the fallback
        assertThat(full.distribution().rankError()).isCloseTo(0.01, within(1e-12));
        assertThat(ksFull.statistic()).isGreaterThan(0.08);
        assertThat(ksFull.conservativePValue()).isLessThan(0.01);
        assertThat(binned.distribution().rankError()).isZero();
        assertThat(ksBinned.statistic()).isLessThan(0.03);
        assertThat(ksBinned.conservativePValue()).isGreaterThan(0.01);
        // ... and so does Wasserstein on the whole quantile CDF: 10% of the mass moved by 5 sigma is 0.5 sigma of W1,
        // while the bins-only reference, integrated between its first and last edge, cannot see the open top bin
        assertThat(wFull).isCloseTo(0.5, within(0.06));
        assertThat(wBinned).isLessThan(0.1);
    }

    @Test
    void shouldMeasureABodyShiftWithTheQuantileCdfWhenTheProfileCarriesQuantiles() {
        // Given a window shifted by 0.5 sigma
        final NumericReference full = ModelReference.numericReference(
                ProfileBuilder.numeric("amount", gaussian(20_000, 1), 10)).orElseThrow();
        final NumericWindowState window = NumericWindowState.empty(full.bins());
        for (final double v : gaussian(5000, 5)) {
            window.update(v + 0.5);
        }

        // When
        final double w = DriftStatistics.wasserstein(full.distribution(), window, full.std());
        final KsResult ks = DriftStatistics.ks(full.distribution(), window);

        // Then: W1 of a shift is the shift, here 0.5 sigma (tails included: the whole distribution moves)
        assertThat(w).isCloseTo(0.5, within(0.06));
        assertThat(ks.statistic()).isCloseTo(0.19, within(0.04));
        assertThat(ks.conservativePValue()).isLessThan(1e-6);
    }

    @Test
    void shouldStayQuietWithQuantilesWhenTheWindowComesFromTheReferenceDistribution() {
        // Given
        final NumericReference full = ModelReference.numericReference(
                ProfileBuilder.numeric("amount", gaussian(20_000, 1), 10)).orElseThrow();
        final NumericWindowState window = NumericWindowState.empty(full.bins());
        for (final double v : gaussian(2000, 99)) {
            window.update(v);
        }

        // When
        final KsResult ks = DriftStatistics.ks(full.distribution(), window);
        final double w = DriftStatistics.wasserstein(full.distribution(), window, full.std());

        // Then
        assertThat(ks.conservativePValue()).isGreaterThan(0.01);
        assertThat(w).isLessThan(0.1);
    }

    @Test
    void shouldUseTheProfiledScoreStdAndQuantilesWhenTheScoreProfileHasThem() {
        // Given scores concentrated near 0.2 (std 0.05)
        final SplittableRandom random = new SplittableRandom(3);
        final double[] scores = new double[5000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Math.min(1.0, Math.max(0.0, 0.2 + 0.05 * random.nextGaussian()));
        }
        final ScoreProfile profile = ProfileBuilder.scores(scores, new int[scores.length], 10);
        final ScoreProfile old = new ScoreProfile(profile.count(), profile.proportions(), profile.meanScore(),
                profile.meanConfidence(), profile.positiveRate());

        // When
        final NumericReference full = ModelReference.scoreReference(profile);
        final NumericReference binned = ModelReference.scoreReference(old);

        // Then: the exact std, not the piecewise-uniform one of 0.1-wide bins (which is much wider)
        assertThat(full.std()).isCloseTo(profile.std(), within(1e-12)).isCloseTo(0.05, within(0.003));
        assertThat(full.distribution().rankError()).isCloseTo(0.01, within(1e-12));
        assertThat(binned.std()).isGreaterThan(0.055);
        assertThat(binned.distribution().rankError()).isZero();
    }

    @Test
    void shouldMatchExactWassersteinOnTheRawSamplesWhenTheReferenceIsTheProfilesQuantiles() {
        // Given: a skewed (log-normal) reference sample profiled by the model module, and raw windows of it, shifted
        final double[] reference = logNormal(20_000, 11, 0.0);
        final NumericProfile profile = ProfileBuilder.numeric("amount", reference, 10);
        final NumericReference ref = ModelReference.numericReference(profile).orElseThrow();
        final double std = ref.std();
        final double range = profile.max() - profile.min();
        for (final double shift : new double[] {0.0, 0.3, 1.0}) {
            final double[] raw = logNormal(5000, 12, shift);
            final NumericWindowState window = NumericWindowState.empty(ref.bins());
            for (final double v : raw) {
                window.update(v);
            }

            // When
            final double w = DriftStatistics.wasserstein(ref.distribution(), window, std);
            final double exact = exactWasserstein(raw, reference) / std;

            // Then: within the two representations' errors: the window sketch's rank error over the value range,
            // plus the quantile CDF's interpolation error, at most (max - min) / 100 over the 100 rank segments
            final double windowRange = java.util.Arrays.stream(raw).max().orElseThrow()
                    - java.util.Arrays.stream(raw).min().orElseThrow();
            final double sketchError = org.apache.datasketches.kll.KllSketch.getNormalizedRankError(
                    NumericWindowState.DEFAULT_K, false);
            final double bound = (sketchError * Math.max(range, windowRange) + range / 100.0) / std;
            assertThat(w).as("shift %s: exact %s, bound %s", shift, exact, bound).isCloseTo(exact, within(bound));
        }
    }

    @Test
    void shouldMatchTheChosenQuantileWhenWassersteinIsCalibratedFromTheProfilesQuantiles() {
        // Given: a profile of 20,000 N(0,1) values; Wasserstein's 95% threshold calibrated for windows of 400 on
        // 400 bootstrap windows of the quantile function's stratified sample (what CALIBRATED mode does)
        final NumericProfile profile = ProfileBuilder.numeric("amount", gaussian(20_000, 21), 10);
        final NumericReference ref = ModelReference.numericReference(profile).orElseThrow();
        final double threshold = io.driftguard.drift.stats.ThresholdCalibration.calibrateNumeric(ref,
                ModelReference.quantileSample(profile.quantiles(), 10_000),
                io.driftguard.drift.stats.Statistic.WASSERSTEIN, 400, 400,
                io.driftguard.drift.stats.ThresholdCalibration.Rule.quantile(0.95), 5).threshold();

        // When: 1,000 fresh windows of 400 values from the true distribution are graded against it
        final SplittableRandom random = new SplittableRandom(22);
        int alarms = 0;
        final int windows = 1000;
        for (int w = 0; w < windows; w++) {
            final NumericWindowState window = NumericWindowState.empty(ref.bins());
            for (int i = 0; i < 400; i++) {
                window.update(random.nextGaussian());
            }
            alarms += DriftStatistics.wasserstein(ref.distribution(), window, ref.std()) >= threshold ? 1 : 0;
        }
        final double rate = (double) alarms / windows;
        System.out.printf("calibrated wasserstein: threshold %.4f, false-alarm rate %.4f over %d windows (5%% chosen)%n",
                threshold, rate, windows);

        // Then: 5% chosen; tolerance 0.025 = about 3 standard errors of the 400-window bootstrap quantile and of the
        // 1,000-window estimate combined (as for PSI in ThresholdCalibrationTest)
        assertThat(rate).isCloseTo(0.05, within(0.025));
    }

    /** Exact W1 of two raw samples: the integral of |F_x - F_y| over the merged sorted values. */
    private static double exactWasserstein(final double[] x, final double[] y) {
        final double[] a = x.clone();
        final double[] b = y.clone();
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        final double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        java.util.Arrays.sort(all);
        double total = 0.0;
        int i = 0;
        int j = 0;
        for (int k = 0; k < all.length - 1; k++) {
            while (i < a.length && a[i] <= all[k]) {
                i++;
            }
            while (j < b.length && b[j] <= all[k]) {
                j++;
            }
            total += Math.abs((double) i / a.length - (double) j / b.length) * (all[k + 1] - all[k]);
        }
        return total;
    }

    private static double[] logNormal(final int n, final long seed, final double logShift) {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.exp(3 + logShift + 0.8 * random.nextGaussian());
        }
        return values;
    }
}
