package io.driftguard.drift.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * The drift statistics of a window state against a reference. Pure functions; see docs/monitoring.md for the
 * definitions.
 */
public final class DriftStatistics {

    /** Default PSI / chi-square smoothing epsilon. */
    public static final double DEFAULT_EPSILON = 1e-4;

    /**
     * One shared instance: building one seeds a random generator, and {@code approximateP} (the only method used)
     * is a pure function of its arguments, so sharing it across threads is safe.
     */
    private static final KolmogorovSmirnovTest KS_TEST = new KolmogorovSmirnovTest();

    private DriftStatistics() {
    }

    /** PSI of the window's bin counts against the reference proportions, smoothed with {@code epsilon}. */
    public static double psi(final ReferenceBins reference, final long[] windowCounts, final double epsilon) {
        requireNonNull(reference, "reference");
        requireNonNull(windowCounts, "windowCounts");
        return BinnedDivergence.psi(reference.proportions(), windowCounts, epsilon);
    }

    /** PSI with {@link #DEFAULT_EPSILON}. */
    public static double psi(final ReferenceBins reference, final NumericWindowState window) {
        requireNonNull(window, "window");
        requireSameBins(reference, window);
        return psi(reference, window.binCounts(), DEFAULT_EPSILON);
    }

    /** Jensen–Shannon distance (base 2, in [0, 1]) of the window's bin counts against the reference proportions. */
    public static double jsDistance(final ReferenceBins reference, final long[] windowCounts) {
        requireNonNull(reference, "reference");
        requireNonNull(windowCounts, "windowCounts");
        return BinnedDivergence.jsDistance(reference.proportions(), windowCounts);
    }

    public static double jsDistance(final ReferenceBins reference, final NumericWindowState window) {
        requireNonNull(window, "window");
        requireSameBins(reference, window);
        return jsDistance(reference, window.binCounts());
    }

    /** Two-sample KS statistic and asymptotic p-value of the window's sketch against the reference. */
    public static KsResult ks(final ReferenceDistribution reference, final NumericWindowState window) {
        requireNonNull(reference, "reference");
        requireNonEmpty(window);
        if (reference.binsOrNull() != null) {
            return ksAtEdges(reference, window);
        }
        final double d = PiecewiseCdf.supDistance(PiecewiseCdf.ofSketch(window.sketch()), reference.cdf());
        final double error = window.rankError() + reference.rankError();
        final int n = clampToInt(window.count());
        final int m = clampToInt(reference.count());
        return new KsResult(d, error, pValue(d, n, m), pValue(Math.max(0.0, d - error), n, m),
                window.count(), reference.count());
    }

    /** KS over the bin edges only, from the window's exact bin counts: no sketch error on either side. */
    private static KsResult ksAtEdges(final ReferenceDistribution reference, final NumericWindowState window) {
        final ReferenceBins bins = reference.binsOrNull();
        requireSameBins(bins, window);
        final long[] counts = window.binCounts();
        final double n = window.count();
        double windowCumulative = 0.0;
        double referenceCumulative = 0.0;
        double d = 0.0;
        for (int i = 0; i + 1 < counts.length; i++) {
            windowCumulative += counts[i];
            referenceCumulative += bins.proportion(i);
            d = Math.max(d, Math.abs(windowCumulative / n - referenceCumulative));
        }
        final int nn = clampToInt(window.count());
        final int m = clampToInt(reference.count());
        final double p = pValue(d, nn, m);
        return new KsResult(d, 0.0, p, p, window.count(), reference.count());
    }

    private static double pValue(final double d, final int n, final int m) {
        // approximateP returns P(D >= d) from the Kolmogorov distribution with effective size nm/(n+m).
        return d <= 0.0 ? 1.0 : Math.min(1.0, Math.max(0.0, KS_TEST.approximateP(d, n, m)));
    }

    private static int clampToInt(final long count) {
        // Kolmogorov's limit depends on nm/(n+m); beyond 2^31 items the effective size no longer changes the verdict.
        return (int) Math.min(Integer.MAX_VALUE, count);
    }

    /**
     * Wasserstein-1 distance {@code int_0^1 |Q_window(p) - Q_reference(p)| dp} (computed as {@code int |F_w - F_r| dx},
     * which is equal), divided by {@code referenceStd}, over the whole line: tails included, from the smaller of the
     * two minima to the larger of the two maxima. Only a {@link ReferenceDistribution#ofBins bins-only} reference,
     * whose open tail bins have no known shape, is integrated between its first and last edge.
     */
    public static double wasserstein(final ReferenceDistribution reference, final NumericWindowState window,
            final double referenceStd) {
        requireNonNull(reference, "reference");
        requireNonEmpty(window);
        if (!Double.isFinite(referenceStd) || !(referenceStd > 0.0)) {
            throw new IllegalArgumentException("referenceStd: must be finite and > 0, got " + referenceStd);
        }
        if (reference.binsOrNull() != null) {
            final PiecewiseCdf ref = reference.cdf();
            return PiecewiseCdf.l1DistanceWithin(PiecewiseCdf.ofSketch(window.sketch()), ref, ref.firstBreakpoint(),
                    ref.lastBreakpoint()) / referenceStd;
        }
        return PiecewiseCdf.l1Distance(PiecewiseCdf.ofSketch(window.sketch()), reference.cdf()) / referenceStd;
    }

    /**
     * Pearson chi-square of the window's counts (reference categories plus "other") against the reference shares.
     * Expected shares are smoothed like PSI's, {@code (p + eps) / (1 + K eps)} over the K = N + 1 buckets, so a
     * category absent from the reference still contributes; a bucket with reference share 0 and no observations is
     * left out (it carries no evidence, and would only add a degree of freedom).
     */
    public static ChiSquareResult chiSquare(final CategoricalReference reference, final CategoricalWindowState window,
            final double epsilon) {
        requireNonNull(reference, "reference");
        requireNonNull(window, "window");
        if (!reference.categories().equals(window.categories())) {
            throw new IllegalArgumentException("window: its categories differ from the reference's");
        }
        if (!(epsilon > 0.0) || epsilon > 0.01) {
            throw new IllegalArgumentException("epsilon: must be in (0, 0.01], got " + epsilon);
        }
        final long n = window.count();
        if (n == 0) {
            throw new IllegalArgumentException("window: has no non-missing values, chi-square is undefined");
        }
        final List<double[]> used = new ArrayList<>();
        final long[] counts = window.categoryCounts();
        final int buckets = counts.length + 1;
        final double norm = 1.0 + buckets * epsilon;
        for (int i = 0; i <= counts.length; i++) {
            final double share = i < counts.length ? reference.proportion(i) : reference.otherProportion();
            final long observed = i < counts.length ? counts[i] : window.otherCount();
            if (share == 0.0 && observed == 0) {
                continue;
            }
            used.add(new double[] {observed, n * (share + epsilon) / norm});
        }
        double statistic = 0.0;
        double expectedTotal = 0.0;
        for (final double[] bucket : used) {
            expectedTotal += bucket[1];
        }
        // Dropped buckets carry a little smoothed mass: rescale so expected and observed totals agree.
        final double scale = n / expectedTotal;
        for (final double[] bucket : used) {
            final double expected = bucket[1] * scale;
            final double diff = bucket[0] - expected;
            statistic += diff * diff / expected;
        }
        final int df = used.size() - 1;
        final double p = df < 1 ? 1.0 : 1.0 - new ChiSquaredDistribution(null, df).cumulativeProbability(statistic);
        return new ChiSquareResult(statistic, Math.max(df, 0), p, window.otherCount(), n);
    }

    /** Chi-square with {@link #DEFAULT_EPSILON}. */
    public static ChiSquareResult chiSquare(final CategoricalReference reference, final CategoricalWindowState window) {
        return chiSquare(reference, window, DEFAULT_EPSILON);
    }

    /** Window null rate minus reference null rate (signed); NaN for an empty window. */
    public static double nullRateDifference(final double referenceNullRate, final double windowNullRate) {
        if (!(referenceNullRate >= 0.0 && referenceNullRate <= 1.0)) {
            throw new IllegalArgumentException("referenceNullRate: must be in [0, 1], got " + referenceNullRate);
        }
        return windowNullRate - referenceNullRate;
    }

    private static void requireSameBins(final ReferenceBins reference, final NumericWindowState window) {
        requireNonNull(reference, "reference");
        if (!java.util.Arrays.equals(reference.edges(), window.edges())) {
            throw new IllegalArgumentException("window: its bin edges differ from the reference's");
        }
    }

    private static void requireNonEmpty(final NumericWindowState window) {
        requireNonNull(window, "window");
        if (window.count() == 0) {
            throw new IllegalArgumentException("window: has no non-missing values, the statistic is undefined");
        }
    }

    private static void requireNonNull(final Object value, final String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + ": must not be null");
        }
    }
}
