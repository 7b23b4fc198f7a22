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

    /** The sorted, distinct union of both breakpoint lists, by one merge pass (both are strictly increasing). */
    private static double[] unionOfBreakpoints(final PiecewiseCdf a, final PiecewiseCdf b) {
        final double[] ax = a.x;
        final double[] bx = b.x;
        final double[] all = new double[ax.length + bx.length];
        int i = 0;
        int j = 0;
        int size = 0;
        while (i < ax.length || j < bx.length) {
            final double v;
            if (j >= bx.length || (i < ax.length && ax[i] <= bx[j])) {
                v = ax[i++];
            } else {
                v = bx[j++];
            }
            if (size == 0 || v != all[size - 1]) {
                all[size++] = v;
            }
        }
        return size == all.length ? all : Arrays.copyOf(all, size);
    }

    /**
     * F(t) and F(t-) at every point of the ascending {@code ts}, by one forward walk over the breakpoints instead of a
     * binary search per point: the same values as {@link #at} and {@link #leftLimit}, in O(|ts| + |x|).
     */
    private void evaluateSorted(final double[] ts, final int from, final int to, final double[] atOut,
            final double[] leftOut) {
        final int last = x.length - 1;
        int i = 0;
        for (int k = from; k < to; k++) {
            final double t = ts[k];
            while (i < last && x[i + 1] <= t) {
                i++;
            }
            final int o = k - from;
            if (t < x[0]) {
                atOut[o] = 0.0;
                leftOut[o] = 0.0;
            } else if (t == x[i]) {
                atOut[o] = i == last ? 1.0 : right[i];
                leftOut[o] = left[i];
            } else if (i == last) {
                atOut[o] = 1.0;
                leftOut[o] = 1.0;
            } else {
                final double v = interpolate(i, t);
                atOut[o] = v;
                leftOut[o] = v;
            }
        }
    }

    /** sup_t |F(t) - G(t)|: between union breakpoints F - G is linear, so the extremes are at the ends. */
    static double supDistance(final PiecewiseCdf f, final PiecewiseCdf g) {
        final double[] u = unionOfBreakpoints(f, g);
        final double[] fAt = new double[u.length];
        final double[] fLeft = new double[u.length];
        final double[] gAt = new double[u.length];
        final double[] gLeft = new double[u.length];
        f.evaluateSorted(u, 0, u.length, fAt, fLeft);
        g.evaluateSorted(u, 0, u.length, gAt, gLeft);
        double sup = 0.0;
        for (int k = 0; k < u.length; k++) {
            sup = Math.max(sup, Math.abs(fAt[k] - gAt[k]));
            sup = Math.max(sup, Math.abs(fLeft[k] - gLeft[k]));
        }
        return sup;
    }

    /** int |F(t) - G(t)| dt, which equals the Wasserstein-1 distance of the two distributions. */
    static double l1Distance(final PiecewiseCdf f, final PiecewiseCdf g) {
        final double[] u = unionOfBreakpoints(f, g);
        return l1Over(f, g, u, u.length);
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
        return l1Over(f, g, u, size);
    }

    /** int over [u[0], u[size-1]] of |F - G|, where F - G is linear between consecutive points of u. */
    private static double l1Over(final PiecewiseCdf f, final PiecewiseCdf g, final double[] u, final int size) {
        final double[] fAt = new double[size];
        final double[] fLeft = new double[size];
        final double[] gAt = new double[size];
        final double[] gLeft = new double[size];
        f.evaluateSorted(u, 0, size, fAt, fLeft);
        g.evaluateSorted(u, 0, size, gAt, gLeft);
        double integral = 0.0;
        for (int j = 0; j + 1 < size; j++) {
            final double width = u[j + 1] - u[j];
            final double d0 = fAt[j] - gAt[j];
            final double d1 = fLeft[j + 1] - gLeft[j + 1];
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
