package io.driftguard.drift.stats;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;

/**
 * Fixed-size state of one numeric feature over one window: counts over the reference bins, a KLL sketch with a fixed
 * k, null count, total count, sum, sum of squares, min and max.
 *
 * <p>{@link #update} mutates in place and returns {@code this}, as a Kafka Streams aggregator may: copying the sketch
 * on every record would cost O(k) per record. {@link #merge} leaves both inputs untouched. Non-finite values (NaN,
 * infinities) are counted as missing, like nulls.
 *
 * <p>Byte layout of {@link #toBytes()} (big-endian): magic {@code 'N'}, version byte 1, int B (bin count), B-1 doubles
 * (bin edges), B longs (bin counts), long nulls, long total, double sum, double sum of squares, double min, double max,
 * int L, then L bytes of the KLL sketch in DataSketches' own compact format. The size depends on B and k only, plus
 * the KLL's O(log n) level overhead: see {@link #maxEncodedSize(int, int)}.
 */
public final class NumericWindowState {

    /** Default KLL k: normalised rank error about 1.3% (single rank) and 1.65% (CDF), at 99% confidence. */
    public static final int DEFAULT_K = 200;

    private static final byte MAGIC = 'N';
    private static final byte VERSION = 1;
    /** Window item counts beyond this are not expected; the size bound is stated for it. */
    static final long SIZE_BOUND_ITEMS = 1L << 40;

    private final double[] edges;
    private final long[] binCounts;
    private final KllDoublesSketch sketch;
    private long nullCount;
    private long totalCount;
    private double sum;
    private double sumOfSquares;
    private double min;
    private double max;

    private NumericWindowState(final double[] edges, final long[] binCounts, final KllDoublesSketch sketch,
            final long nullCount, final long totalCount, final double sum, final double sumOfSquares,
            final double min, final double max) {
        this.edges = edges;
        this.binCounts = binCounts;
        this.sketch = sketch;
        this.nullCount = nullCount;
        this.totalCount = totalCount;
        this.sum = sum;
        this.sumOfSquares = sumOfSquares;
        this.min = min;
        this.max = max;
    }

    /** An empty state binned like {@code bins}, with a KLL sketch of the given k (8..65535). */
    public static NumericWindowState empty(final ReferenceBins bins, final int k) {
        if (bins == null) {
            throw new IllegalArgumentException("bins: must not be null");
        }
        if (k < 8 || k > KllSketch.MAX_K) {
            throw new IllegalArgumentException("k: must be in [8, " + KllSketch.MAX_K + "], got " + k);
        }
        return new NumericWindowState(bins.edges(), new long[bins.binCount()], KllDoublesSketch.newHeapInstance(k),
                0, 0, 0.0, 0.0, Double.NaN, Double.NaN);
    }

    /** An empty state with {@link #DEFAULT_K}. */
    public static NumericWindowState empty(final ReferenceBins bins) {
        return empty(bins, DEFAULT_K);
    }

    /** Adds one observation; {@code null} or a non-finite value counts as missing. Returns {@code this}. */
    public NumericWindowState update(final Double value) {
        if (value == null) {
            return updateMissing();
        }
        return update(value.doubleValue());
    }

    /** Adds one observation; a non-finite value counts as missing. Returns {@code this}. */
    public NumericWindowState update(final double value) {
        if (!Double.isFinite(value)) {
            return updateMissing();
        }
        totalCount++;
        binCounts[ReferenceBins.binOf(edges, value)]++;
        sketch.update(value);
        sum += value;
        sumOfSquares += value * value;
        min = count() == 1 ? value : Math.min(min, value);
        max = count() == 1 ? value : Math.max(max, value);
        return this;
    }

    /** Counts one missing observation. Returns {@code this}. */
    public NumericWindowState updateMissing() {
        totalCount++;
        nullCount++;
        return this;
    }

    /** A new state holding both windows; neither input changes. The bin edges must be the same. */
    public NumericWindowState merge(final NumericWindowState other) {
        if (other == null) {
            throw new IllegalArgumentException("other: must not be null");
        }
        if (!Arrays.equals(edges, other.edges)) {
            throw new IllegalArgumentException("other: bin edges differ, cannot merge states of different references ("
                    + Arrays.toString(edges) + " vs " + Arrays.toString(other.edges) + ")");
        }
        final KllDoublesSketch merged = KllDoublesSketch.newHeapInstance(sketch.getK());
        merged.merge(sketch);
        merged.merge(other.sketch);
        final long[] counts = binCounts.clone();
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.binCounts[i];
        }
        final double mergedMin = count() == 0 ? other.min : other.count() == 0 ? min : Math.min(min, other.min);
        final double mergedMax = count() == 0 ? other.max : other.count() == 0 ? max : Math.max(max, other.max);
        return new NumericWindowState(edges.clone(), counts, merged, nullCount + other.nullCount,
                totalCount + other.totalCount, sum + other.sum, sumOfSquares + other.sumOfSquares, mergedMin,
                mergedMax);
    }

    /** Non-missing observations. */
    public long count() {
        return totalCount - nullCount;
    }

    public long nullCount() {
        return nullCount;
    }

    /** All observations, missing included. */
    public long totalCount() {
        return totalCount;
    }

    /** Share of missing observations; NaN for an empty window. */
    public double nullRate() {
        return totalCount == 0 ? Double.NaN : (double) nullCount / totalCount;
    }

    public double sum() {
        return sum;
    }

    public double sumOfSquares() {
        return sumOfSquares;
    }

    /** Mean of the non-missing values; NaN when there are none. */
    public double mean() {
        return count() == 0 ? Double.NaN : sum / count();
    }

    /** Population variance of the non-missing values; NaN when there are none. */
    public double variance() {
        if (count() == 0) {
            return Double.NaN;
        }
        final double mean = mean();
        // Sum of squares minus n*mean^2 can dip below 0 by rounding when the spread is tiny.
        return Math.max(0.0, sumOfSquares / count() - mean * mean);
    }

    /** NaN when there are no non-missing values. */
    public double min() {
        return min;
    }

    /** NaN when there are no non-missing values. */
    public double max() {
        return max;
    }

    /** Counts per reference bin (a copy). */
    public long[] binCounts() {
        return binCounts.clone();
    }

    /** The bin edges this state was built with (a copy). */
    public double[] edges() {
        return edges.clone();
    }

    /** KLL k of the sketch. */
    public int k() {
        return sketch.getK();
    }

    /** Approximate quantile at {@code rank} in [0, 1]; NaN when there are no non-missing values. */
    public double quantile(final double rank) {
        if (!(rank >= 0.0 && rank <= 1.0)) {
            throw new IllegalArgumentException("rank: must be in [0, 1], got " + rank);
        }
        return sketch.isEmpty() ? Double.NaN : sketch.getQuantile(rank);
    }

    KllDoublesSketch sketch() {
        return sketch;
    }

    double rankError() {
        return Sketches.rankError(sketch);
    }

    /** The encoding described in the class comment. */
    public byte[] toBytes() {
        final byte[] kll = Sketches.toBytes(sketch);
        final ByteBuffer buffer = ByteBuffer.allocate(fixedSize(binCounts.length) + kll.length);
        buffer.put(MAGIC).put(VERSION).putInt(binCounts.length);
        for (final double edge : edges) {
            buffer.putDouble(edge);
        }
        for (final long c : binCounts) {
            buffer.putLong(c);
        }
        buffer.putLong(nullCount).putLong(totalCount).putDouble(sum).putDouble(sumOfSquares).putDouble(min)
                .putDouble(max).putInt(kll.length).put(kll);
        return buffer.array();
    }

    /** Decodes {@link #toBytes()}; a malformed input gets an IllegalArgumentException saying what is wrong. */
    public static NumericWindowState fromBytes(final byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes: must not be null");
        }
        try {
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            final byte magic = buffer.get();
            final byte version = buffer.get();
            if (magic != MAGIC || version != VERSION) {
                throw new IllegalArgumentException("bytes: not a NumericWindowState v" + VERSION + " (magic " + magic
                        + ", version " + version + ")");
            }
            final int bins = buffer.getInt();
            if (bins < 2 || bins > ReferenceBins.MAX_BINS) {
                throw new IllegalArgumentException("bytes: bin count " + bins + " out of range");
            }
            final double[] edges = new double[bins - 1];
            for (int i = 0; i < edges.length; i++) {
                edges[i] = buffer.getDouble();
            }
            final long[] counts = new long[bins];
            for (int i = 0; i < bins; i++) {
                counts[i] = buffer.getLong();
            }
            final long nulls = buffer.getLong();
            final long total = buffer.getLong();
            final double sum = buffer.getDouble();
            final double sumOfSquares = buffer.getDouble();
            final double min = buffer.getDouble();
            final double max = buffer.getDouble();
            final int kllLength = buffer.getInt();
            if (kllLength != buffer.remaining()) {
                throw new IllegalArgumentException("bytes: sketch length " + kllLength + " but " + buffer.remaining()
                        + " bytes remain");
            }
            final byte[] kll = new byte[kllLength];
            buffer.get(kll);
            final KllDoublesSketch sketch = Sketches.heapify(kll, "bytes(sketch)");
            if (sketch.getN() != total - nulls) {
                throw new IllegalArgumentException("bytes: sketch holds " + sketch.getN() + " items but the counts say "
                        + (total - nulls));
            }
            long binned = 0;
            for (final long c : counts) {
                binned += c;
            }
            if (nulls < 0 || binned != total - nulls) {
                throw new IllegalArgumentException("bytes: bin counts sum to " + binned + " but total " + total
                        + " minus nulls " + nulls + " is " + (total - nulls));
            }
            return new NumericWindowState(edges, counts, sketch, nulls, total, sum, sumOfSquares, min, max);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("bytes: truncated NumericWindowState (" + bytes.length + " bytes)", e);
        }
    }

    private static int fixedSize(final int bins) {
        return 2 + 4 + 8 * (bins - 1) + 8 * bins + 8 * 2 + 8 * 4 + 4;
    }

    /**
     * Upper bound of {@link #toBytes()} for any window of up to 2^40 items: the fixed part plus DataSketches' own
     * maximum serialized size of a KLL doubles sketch of that k and n. For B = 10 and k = 200 this is 6,594 bytes.
     */
    public static int maxEncodedSize(final int bins, final int k) {
        return fixedSize(bins) + KllSketch.getMaxSerializedSizeBytes(k, SIZE_BOUND_ITEMS,
                KllSketch.SketchType.DOUBLES_SKETCH, false);
    }

    @Override
    public String toString() {
        return "NumericWindowState[count=" + count() + ", nulls=" + nullCount + ", bins=" + binCounts.length + ", k="
                + sketch.getK() + "]";
    }
}
