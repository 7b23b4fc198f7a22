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
    /** Set when only the CDF at the bin edges is known (see {@link #ofBins}). */
    private final ReferenceBins bins;

    private ReferenceDistribution(final PiecewiseCdf cdf, final long count, final double rankError,
            final String description) {
        this(cdf, count, rankError, description, null);
    }

    private ReferenceDistribution(final PiecewiseCdf cdf, final long count, final double rankError,
            final String description, final ReferenceBins bins) {
        this.cdf = cdf;
        this.count = count;
        this.rankError = rankError;
        this.description = description;
        this.bins = bins;
    }

    /**
     * When the reference profile carries only quantile bins (edges and shares), its CDF is known exactly at the edges
     * only. KS is then taken over the edges alone, from the window's exact bin counts (a lower bound on the full KS
     * statistic, so the test stays conservative), and Wasserstein is integrated over {@code [first edge, last edge]}
     * with the reference CDF linear between edges (the open tail bins, whose shape is unknown, are left out).
     *
     * @param sampleCount size of the reference sample (for the KS p-value)
     */
    public static ReferenceDistribution ofBins(final ReferenceBins bins, final long sampleCount) {
        if (bins == null) {
            throw new IllegalArgumentException("bins: must not be null");
        }
        if (sampleCount < 1) {
            throw new IllegalArgumentException("sampleCount: must be >= 1, got " + sampleCount);
        }
        final double[] edges = bins.edges();
        final double[] cumulative = new double[edges.length];
        double sum = 0.0;
        for (int i = 0; i < edges.length; i++) {
            sum += bins.proportion(i);
            cumulative[i] = Math.min(1.0, sum);
        }
        return new ReferenceDistribution(PiecewiseCdf.ofPoints(edges, cumulative), sampleCount, 0.0,
                "bins(B=" + bins.binCount() + ", n=" + sampleCount + ")", bins);
    }

    /** The bins of a {@link #ofBins} distribution; null otherwise. */
    ReferenceBins binsOrNull() {
        return bins;
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
