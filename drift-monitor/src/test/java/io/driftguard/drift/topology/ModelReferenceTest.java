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
        // ... and Wasserstein keeps the central range between the first and last edge in both cases
        assertThat(full.distribution().toString()).contains("wasserstein over");
        assertThat(wFull).isLessThan(0.1);
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

        // Then: over the central 80% of the reference a 0.5 sigma shift moves about 0.8 * 0.5 = 0.4 sigma of mass
        assertThat(w).isCloseTo(0.4, within(0.06));
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
}
