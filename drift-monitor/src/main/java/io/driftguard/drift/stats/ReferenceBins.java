package io.driftguard.drift.stats;

import java.util.Arrays;

/**
 * Reference quantile bins of one numeric feature, as carried in the model artifact's reference profile.
 *
 * <p>{@code edges} are the B-1 strictly increasing interior bin edges; bin 0 is {@code (-inf, edges[0])}, bin i is
 * {@code [edges[i-1], edges[i])} and bin B-1 is {@code [edges[B-2], +inf)}. {@code proportions} are the B reference
 * shares of those bins; they must sum to 1 (within 1e-6) and are renormalised to exactly 1.
 */
public record ReferenceBins(double[] edges, double[] proportions) {

    /** Largest bin count accepted; keeps a window state small and fixed-size. */
    public static final int MAX_BINS = 1000;

    public ReferenceBins {
        if (edges == null) {
            throw new IllegalArgumentException("edges: must not be null");
        }
        if (proportions == null) {
            throw new IllegalArgumentException("proportions: must not be null");
        }
        if (proportions.length != edges.length + 1) {
            throw new IllegalArgumentException("proportions: expected " + (edges.length + 1)
                    + " values (one more than the " + edges.length + " edges), got " + proportions.length);
        }
        if (proportions.length < 2 || proportions.length > MAX_BINS) {
            throw new IllegalArgumentException("proportions: bin count must be in [2, " + MAX_BINS + "], got "
                    + proportions.length);
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i])) {
                throw new IllegalArgumentException("edges[" + i + "]: must be finite, got " + edges[i]);
            }
            if (i > 0 && !(edges[i] > edges[i - 1])) {
                throw new IllegalArgumentException("edges[" + i + "]: must be strictly greater than edges[" + (i - 1)
                        + "] (" + edges[i - 1] + "), got " + edges[i]);
            }
        }
        double sum = 0.0;
        for (int i = 0; i < proportions.length; i++) {
            if (!Double.isFinite(proportions[i]) || proportions[i] < 0.0) {
                throw new IllegalArgumentException("proportions[" + i + "]: must be a finite value >= 0, got "
                        + proportions[i]);
            }
            sum += proportions[i];
        }
        if (Math.abs(sum - 1.0) > 1e-6) {
            throw new IllegalArgumentException("proportions: must sum to 1 (within 1e-6), got " + sum);
        }
        edges = edges.clone();
        final double[] normalised = new double[proportions.length];
        for (int i = 0; i < normalised.length; i++) {
            normalised[i] = proportions[i] / sum;
        }
        proportions = normalised;
    }

    /** Bin count B. */
    public int binCount() {
        return proportions.length;
    }

    @Override
    public double[] edges() {
        return edges.clone();
    }

    @Override
    public double[] proportions() {
        return proportions.clone();
    }

    double proportion(final int bin) {
        return proportions[bin];
    }

    /** Index of the bin holding {@code value} (see the class comment for the edge convention). */
    public int binOf(final double value) {
        return binOf(edges, value);
    }

    static int binOf(final double[] edges, final double value) {
        // upper-bound search: the number of edges <= value is the bin index.
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (edges[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof ReferenceBins other
                && Arrays.equals(edges, other.edges) && Arrays.equals(proportions, other.proportions);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(edges) + Arrays.hashCode(proportions);
    }

    @Override
    public String toString() {
        return "ReferenceBins[edges=" + Arrays.toString(edges) + ", proportions=" + Arrays.toString(proportions) + "]";
    }
}
