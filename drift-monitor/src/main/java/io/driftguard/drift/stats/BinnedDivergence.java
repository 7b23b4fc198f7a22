package io.driftguard.drift.stats;

/**
 * PSI and Jensen–Shannon distance of a window's bin counts against reference bin proportions.
 */
final class BinnedDivergence {

    private BinnedDivergence() {
    }

    /**
     * Population stability index {@code sum_i (q_i - p_i) * ln(q_i / p_i)}, q = window, p = reference.
     *
     * <p>Both distributions are smoothed before use: {@code p_i <- (p_i + eps) / (1 + B * eps)}, the same for q. This
     * keeps empty bins finite (an empty bin would make the log infinite), leaves identical distributions at exactly 0,
     * and moves non-empty bins by at most {@code eps} relative.
     */
    static double psi(final double[] reference, final long[] counts, final double epsilon) {
        checkShape(reference, counts);
        if (!(epsilon > 0.0) || epsilon > 0.01) {
            throw new IllegalArgumentException("epsilon: must be in (0, 0.01], got " + epsilon);
        }
        final long n = total(counts);
        if (n == 0) {
            throw new IllegalArgumentException("counts: window is empty, PSI is undefined");
        }
        final int bins = reference.length;
        final double norm = 1.0 + bins * epsilon;
        double psi = 0.0;
        for (int i = 0; i < bins; i++) {
            final double p = (reference[i] + epsilon) / norm;
            final double q = ((double) counts[i] / n + epsilon) / norm;
            psi += (q - p) * Math.log(q / p);
        }
        return psi;
    }

    /**
     * Jensen–Shannon distance, base 2: {@code sqrt(0.5 KL(p||m) + 0.5 KL(q||m))}, m = (p+q)/2, in [0, 1]. No smoothing
     * is needed: m is positive wherever p or q is, and 0 log 0 is taken as 0.
     */
    static double jsDistance(final double[] reference, final long[] counts) {
        checkShape(reference, counts);
        final long n = total(counts);
        if (n == 0) {
            throw new IllegalArgumentException("counts: window is empty, Jensen-Shannon distance is undefined");
        }
        double divergence = 0.0;
        for (int i = 0; i < reference.length; i++) {
            final double p = reference[i];
            final double q = (double) counts[i] / n;
            final double m = 0.5 * (p + q);
            if (p > 0.0) {
                divergence += 0.5 * p * log2(p / m);
            }
            if (q > 0.0) {
                divergence += 0.5 * q * log2(q / m);
            }
        }
        // Rounding can leave a tiny negative or a value a hair above 1.
        return Math.sqrt(Math.min(1.0, Math.max(0.0, divergence)));
    }

    private static double log2(final double x) {
        return Math.log(x) / Math.log(2.0);
    }

    static long total(final long[] counts) {
        long n = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("counts[" + i + "]: must be >= 0, got " + counts[i]);
            }
            n += counts[i];
        }
        return n;
    }

    private static void checkShape(final double[] reference, final long[] counts) {
        if (reference.length != counts.length) {
            throw new IllegalArgumentException("counts: expected " + reference.length
                    + " bins to match the reference, got " + counts.length);
        }
    }
}
