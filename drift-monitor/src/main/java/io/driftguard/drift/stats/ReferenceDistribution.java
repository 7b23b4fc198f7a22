package io.driftguard.drift.stats;

import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * The reference distribution of a numeric feature for KS and Wasserstein: either a KLL sketch of the reference sample
 * or its quantiles at equally spaced ranks (linearly interpolated between them).
 */
public final class ReferenceDistribution {

    private final PiecewiseCdf cdf;
    private final long count;
    private final double rankError;
    private final String description;

    private ReferenceDistribution(final PiecewiseCdf cdf, final long count, final double rankError,
            final String description) {
        this.cdf = cdf;
        this.count = count;
        this.rankError = rankError;
        this.description = description;
    }

    /** From a KLL sketch of the reference sample (read, not kept: later updates to it are not seen). */
    public static ReferenceDistribution ofSketch(final KllDoublesSketch sketch) {
        if (sketch == null) {
            throw new IllegalArgumentException("sketch: must not be null");
        }
        return new ReferenceDistribution(PiecewiseCdf.ofSketch(sketch), sketch.getN(), Sketches.rankError(sketch),
                "sketch(n=" + sketch.getN() + ", k=" + sketch.getK() + ")");
    }

    /** From a serialized KLL doubles sketch (DataSketches' own format, e.g. from the artifact's reference profile). */
    public static ReferenceDistribution ofSketchBytes(final byte[] sketchBytes) {
        return ofSketch(Sketches.heapify(sketchBytes, "sketchBytes"));
    }

    /**
     * From the reference quantiles at ranks {@code i/(m-1)}, i = 0..m-1 (so the first is the minimum and the last the
     * maximum), and the size of the sample they were taken from (used for the KS p-value). The CDF is interpolated
     * linearly between quantiles, so its rank error is at most {@code 1/(m-1)}.
     */
    public static ReferenceDistribution ofSortedQuantiles(final double[] quantiles, final long sampleCount) {
        if (quantiles == null) {
            throw new IllegalArgumentException("quantiles: must not be null");
        }
        if (sampleCount < 1) {
            throw new IllegalArgumentException("sampleCount: must be >= 1, got " + sampleCount);
        }
        return new ReferenceDistribution(PiecewiseCdf.ofSortedQuantiles(quantiles.clone()), sampleCount,
                1.0 / (quantiles.length - 1), "quantiles(m=" + quantiles.length + ", n=" + sampleCount + ")");
    }

    PiecewiseCdf cdf() {
        return cdf;
    }

    /** Size of the reference sample. */
    public long count() {
        return count;
    }

    /** Bound on |represented CDF - true reference CDF| (0 when exact). */
    public double rankError() {
        return rankError;
    }

    @Override
    public String toString() {
        return "ReferenceDistribution[" + description + "]";
    }
}
