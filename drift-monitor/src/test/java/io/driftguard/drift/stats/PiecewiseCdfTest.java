package io.driftguard.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

/** The merge-pass KS and Wasserstein against the same sums taken point by point with {@code at}/{@code leftLimit}. */
class PiecewiseCdfTest {

    private static double[] union(final double[] a, final double[] b) {
        final double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return Arrays.stream(all).sorted().distinct().toArray();
    }

    /** KS by a binary search per point: the definition the merge pass must reproduce. */
    private static double bruteSup(final PiecewiseCdf f, final PiecewiseCdf g, final double[] points) {
        double sup = 0.0;
        for (final double t : points) {
            sup = Math.max(sup, Math.abs(f.at(t) - g.at(t)));
            sup = Math.max(sup, Math.abs(f.leftLimit(t) - g.leftLimit(t)));
        }
        return sup;
    }

    private static double bruteL1(final PiecewiseCdf f, final PiecewiseCdf g, final double[] u) {
        double integral = 0.0;
        for (int j = 0; j + 1 < u.length; j++) {
            final double d0 = f.at(u[j]) - g.at(u[j]);
            final double d1 = f.leftLimit(u[j + 1]) - g.leftLimit(u[j + 1]);
            final double mean = d0 * d1 >= 0 ? 0.5 * (Math.abs(d0) + Math.abs(d1))
                    : 0.5 * (d0 * d0 + d1 * d1) / (Math.abs(d0) + Math.abs(d1));
            integral += (u[j + 1] - u[j]) * mean;
        }
        return integral;
    }

    private static double[] breakpoints(final KllDoublesSketch sketch) {
        return Arrays.stream(sketch.getSortedView().getQuantiles()).distinct().toArray();
    }

    @Test
    void shouldMatchThePointwiseComputationWhenComparingASketchWithQuantiles() {
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 20; round++) {
            // Given a compacted sketch (ties from rounding) and 101 interpolated reference quantiles
            final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(200);
            final double shift = random.nextDouble() - 0.5;
            for (int i = 0; i < 5000; i++) {
                sketch.update(Math.rint((random.nextGaussian() + shift) * 20) / 20);
            }
            final double[] reference = StatsFixtures.gaussian(round, 20_000, 0, 1);
            Arrays.sort(reference);
            final double[] quantiles = new double[101];
            for (int k = 0; k <= 100; k++) {
                quantiles[k] = reference[(int) Math.round(k / 100.0 * (reference.length - 1))];
            }
            final PiecewiseCdf f = PiecewiseCdf.ofSketch(sketch);
            final PiecewiseCdf g = PiecewiseCdf.ofSortedQuantiles(quantiles);
            final double[] u = union(breakpoints(sketch), Arrays.stream(quantiles).distinct().toArray());

            // When / Then
            assertThat(PiecewiseCdf.supDistance(f, g)).isCloseTo(bruteSup(f, g, u), within(1e-15));
            assertThat(PiecewiseCdf.supDistance(g, f)).isCloseTo(bruteSup(f, g, u), within(1e-15));
            assertThat(PiecewiseCdf.l1Distance(f, g)).isCloseTo(bruteL1(f, g, u), within(1e-12));
        }
    }

    @Test
    void shouldMatchThePointwiseComputationWhenAPointMassMeetsAStepFunction() {
        // Given a point mass (every quantile equal) inside a sketch's support, and outside it
        final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(200);
        for (int i = 0; i < 50; i++) {
            sketch.update(i);
        }
        final PiecewiseCdf f = PiecewiseCdf.ofSketch(sketch);
        for (final double at : new double[] {-3.0, 0.0, 17.0, 17.5, 49.0, 80.0}) {
            final PiecewiseCdf g = PiecewiseCdf.ofSortedQuantiles(new double[] {at, at, at});
            final double[] u = union(breakpoints(sketch), new double[] {at});

            // When / Then
            assertThat(PiecewiseCdf.supDistance(f, g)).as("point mass at %s", at)
                    .isCloseTo(bruteSup(f, g, u), within(1e-15));
            assertThat(PiecewiseCdf.l1Distance(f, g)).as("point mass at %s", at)
                    .isCloseTo(bruteL1(f, g, u), within(1e-12));
        }
    }
}
