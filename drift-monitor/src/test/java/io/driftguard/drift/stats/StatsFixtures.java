package io.driftguard.drift.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Fixed test data: seeded samples and reference profiles built from them the way an artifact would. */
final class StatsFixtures {

    private StatsFixtures() {
    }

    static double[] gaussian(final long seed, final int n, final double mean, final double std) {
        final java.util.Random random = new java.util.Random(seed);
        final double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = mean + std * random.nextGaussian();
        }
        return values;
    }

    static double[] uniform(final long seed, final int n) {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble();
        }
        return values;
    }

    /** Reference bins at the sample's deciles, proportions counted on the sample itself. */
    static ReferenceBins decileBins(final double[] sample) {
        final double[] sorted = sample.clone();
        Arrays.sort(sorted);
        final double[] edges = new double[9];
        for (int i = 1; i <= 9; i++) {
            edges[i - 1] = sorted[(int) ((long) i * sorted.length / 10)];
        }
        final long[] counts = new long[10];
        for (final double v : sample) {
            counts[ReferenceBins.binOf(edges, v)]++;
        }
        final double[] proportions = new double[10];
        for (int i = 0; i < 10; i++) {
            proportions[i] = (double) counts[i] / sample.length;
        }
        return new ReferenceBins(edges, proportions);
    }

    static NumericWindowState window(final ReferenceBins bins, final int k, final double[] values) {
        final NumericWindowState state = NumericWindowState.empty(bins, k);
        for (final double v : values) {
            state.update(v);
        }
        return state;
    }

    static double std(final double[] values) {
        double mean = 0.0;
        for (final double v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0.0;
        for (final double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / values.length);
    }

    /**
     * Exact Wasserstein-1 of two raw samples by integrating |Q_x(p) - Q_y(p)| over p, the empirical quantile functions
     * being step functions that change at ranks i/n and j/m.
     */
    static double exactWasserstein(final double[] x, final double[] y) {
        final double[] a = x.clone();
        final double[] b = y.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        int i = 0;
        int j = 0;
        double p = 0.0;
        double total = 0.0;
        while (i < a.length && j < b.length) {
            final double nextA = (double) (i + 1) / a.length;
            final double nextB = (double) (j + 1) / b.length;
            final double next = Math.min(nextA, nextB);
            total += (next - p) * Math.abs(a[i] - b[j]);
            p = next;
            if (nextA <= next) {
                i++;
            }
            if (nextB <= next) {
                j++;
            }
        }
        return total;
    }
}
