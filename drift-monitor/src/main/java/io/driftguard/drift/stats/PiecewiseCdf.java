package io.driftguard.drift.stats;

import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/**
 * A cumulative distribution function that is piecewise linear between strictly increasing breakpoints, with a jump
 * allowed at each breakpoint. A sketch's empirical CDF is the special case of zero slope (a step function); a set of
 * reference quantiles at equally spaced ranks gives a continuous, linearly interpolated CDF.
 *
 * <p>Because both kinds are linear between the union of their breakpoints, the KS supremum and the Wasserstein-1
 * integral {@code int |F - G| dx} are computed exactly for the two represented distributions.
 */
final class PiecewiseCdf {

    private final double[] x;
    /** F at x[i] from the left (limit). */
    private final double[] left;
    /** F at x[i] (right-continuous value); between x[i] and x[i+1] F goes linearly from right[i] to left[i+1]. */
    private final double[] right;

    private PiecewiseCdf(final double[] x, final double[] left, final double[] right) {
        this.x = x;
        this.left = left;
        this.right = right;
    }

    static PiecewiseCdf ofSketch(final KllDoublesSketch sketch) {
        if (sketch.isEmpty()) {
            throw new IllegalArgumentException("sketch: is empty, it has no distribution");
        }
        final DoublesSortedView view = sketch.getSortedView();
        final double[] quantiles = view.getQuantiles();
        final long[] cumulative = view.getCumulativeWeights();
        final double n = view.getN();
        final double[] xs = new double[quantiles.length];
        final double[] lefts = new double[quantiles.length];
        final double[] rights = new double[quantiles.length];
        int size = 0;
        double previous = 0.0;
        for (int i = 0; i < quantiles.length; i++) {
            final double cdf = cumulative[i] / n;
            if (size > 0 && quantiles[i] == xs[size - 1]) {
                rights[size - 1] = cdf;
            } else {
                xs[size] = quantiles[i];
                lefts[size] = previous;
                rights[size] = cdf;
                size++;
            }
            previous = cdf;
        }
        rights[size - 1] = 1.0;
        return new PiecewiseCdf(Arrays.copyOf(xs, size), Arrays.copyOf(lefts, size), Arrays.copyOf(rights, size));
    }

    /** Quantiles at ranks {@code i / (m - 1)}, i = 0..m-1, sorted ascending; equal neighbours become a jump. */
    static PiecewiseCdf ofSortedQuantiles(final double[] quantiles) {
        if (quantiles.length < 2) {
            throw new IllegalArgumentException("quantiles: need at least 2 (the minimum and the maximum), got "
                    + quantiles.length);
        }
        final double step = 1.0 / (quantiles.length - 1);
        final double[] xs = new double[quantiles.length];
        final double[] lefts = new double[quantiles.length];
        final double[] rights = new double[quantiles.length];
        int size = 0;
        for (int i = 0; i < quantiles.length; i++) {
            if (!Double.isFinite(quantiles[i])) {
                throw new IllegalArgumentException("quantiles[" + i + "]: must be finite, got " + quantiles[i]);
            }
            if (i > 0 && quantiles[i] < quantiles[i - 1]) {
                throw new IllegalArgumentException("quantiles[" + i + "]: must be >= quantiles[" + (i - 1) + "] ("
                        + quantiles[i - 1] + "), got " + quantiles[i]);
            }
            final double rank = i * step;
            if (size > 0 && quantiles[i] == xs[size - 1]) {
                rights[size - 1] = rank;
            } else {
                xs[size] = quantiles[i];
                lefts[size] = rank;
                rights[size] = rank;
                size++;
            }
        }
        // Below the minimum the CDF is 0 and the linear pieces start from rank 0 at the minimum.
        lefts[0] = 0.0;
        rights[size - 1] = 1.0;
        if (size == 1) {
            // A point mass: every quantile is the same value.
            return new PiecewiseCdf(new double[] {xs[0]}, new double[] {0.0}, new double[] {1.0});
        }
        return new PiecewiseCdf(Arrays.copyOf(xs, size), Arrays.copyOf(lefts, size), Arrays.copyOf(rights, size));
    }

    /**
     * A continuous CDF through the points {@code (xs[i], fs[i])}, linear between them; used only inside
     * {@code [xs[0], xs[last]]} (see {@link #l1DistanceWithin}).
     */
    static PiecewiseCdf ofPoints(final double[] xs, final double[] fs) {
        if (xs.length == 0 || xs.length != fs.length) {
            throw new IllegalArgumentException("points: need matching, non-empty x and F arrays");
        }
        return new PiecewiseCdf(xs.clone(), fs.clone(), fs.clone());
    }

    /** F(t) (right-continuous). */
    double at(final double t) {
        if (t < x[0]) {
            return 0.0;
        }
        if (t >= x[x.length - 1]) {
            return 1.0;
        }
        final int i = floorIndex(t);
        if (t == x[i]) {
            return right[i];
        }
        return interpolate(i, t);
    }

    /** F(t-) (limit from the left). */
    double leftLimit(final double t) {
        if (t <= x[0]) {
            return t == x[0] ? left[0] : 0.0;
        }
        if (t > x[x.length - 1]) {
            return 1.0;
        }
        final int i = floorIndex(t);
        if (t == x[i]) {
            return left[i];
        }
        return interpolate(i, t);
    }

    private double interpolate(final int i, final double t) {
        final double fraction = (t - x[i]) / (x[i + 1] - x[i]);
        return right[i] + (left[i + 1] - right[i]) * fraction;
    }

    /** Largest i with x[i] <= t; requires x[0] <= t. */
    private int floorIndex(final double t) {
        int lo = 0;
        int hi = x.length - 1;
        while (lo < hi) {
            final int mid = (lo + hi + 1) >>> 1;
            if (x[mid] <= t) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private static double[] unionOfBreakpoints(final PiecewiseCdf a, final PiecewiseCdf b) {
        final double[] all = new double[a.x.length + b.x.length];
        System.arraycopy(a.x, 0, all, 0, a.x.length);
        System.arraycopy(b.x, 0, all, a.x.length, b.x.length);
        Arrays.sort(all);
        int size = 0;
        for (final double v : all) {
            if (size == 0 || v != all[size - 1]) {
                all[size++] = v;
            }
        }
        return Arrays.copyOf(all, size);
    }

    /** sup_t |F(t) - G(t)|: between union breakpoints F - G is linear, so the extremes are at the ends. */
    static double supDistance(final PiecewiseCdf f, final PiecewiseCdf g) {
        final double[] u = unionOfBreakpoints(f, g);
        double sup = 0.0;
        for (final double t : u) {
            sup = Math.max(sup, Math.abs(f.at(t) - g.at(t)));
            sup = Math.max(sup, Math.abs(f.leftLimit(t) - g.leftLimit(t)));
        }
        return sup;
    }

    /** int |F(t) - G(t)| dt, which equals the Wasserstein-1 distance of the two distributions. */
    static double l1Distance(final PiecewiseCdf f, final PiecewiseCdf g) {
        final double[] u = unionOfBreakpoints(f, g);
        double integral = 0.0;
        for (int j = 0; j + 1 < u.length; j++) {
            final double width = u[j + 1] - u[j];
            final double d0 = f.at(u[j]) - g.at(u[j]);
            final double d1 = f.leftLimit(u[j + 1]) - g.leftLimit(u[j + 1]);
            integral += width * integralOfAbsLinear(d0, d1);
        }
        return integral;
    }

    /** int over [lo, hi] of |F(t) - G(t)| dt, where G is an {@link #ofPoints} CDF defined on that range. */
    static double l1DistanceWithin(final PiecewiseCdf f, final PiecewiseCdf g, final double lo, final double hi) {
        if (!(hi > lo)) {
            return 0.0;
        }
        final double[] all = unionOfBreakpoints(f, g);
        final double[] u = new double[all.length + 2];
        int size = 0;
        u[size++] = lo;
        for (final double t : all) {
            if (t > lo && t < hi) {
                u[size++] = t;
            }
        }
        u[size++] = hi;
        double integral = 0.0;
        for (int j = 0; j + 1 < size; j++) {
            final double width = u[j + 1] - u[j];
            final double d0 = f.at(u[j]) - g.at(u[j]);
            final double d1 = f.leftLimit(u[j + 1]) - g.leftLimit(u[j + 1]);
            integral += width * integralOfAbsLinear(d0, d1);
        }
        return integral;
    }

    double firstBreakpoint() {
        return x[0];
    }

    double lastBreakpoint() {
        return x[x.length - 1];
    }

    /** Mean of |d| over a unit interval where d goes linearly from d0 to d1. */
    private static double integralOfAbsLinear(final double d0, final double d1) {
        if (d0 * d1 >= 0.0) {
            return 0.5 * (Math.abs(d0) + Math.abs(d1));
        }
        // Sign change: two triangles meeting at the zero crossing.
        return 0.5 * (d0 * d0 + d1 * d1) / (Math.abs(d0) + Math.abs(d1));
    }
}
