package io.driftguard.drift.stats;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixed-size state of one categorical feature over one window: a count per reference category, one "other" count for
 * every value outside them (unseen categories included), a null count and the total count.
 *
 * <p>{@link #update} mutates in place and returns {@code this} (a Kafka Streams aggregator may); {@link #merge}
 * leaves both inputs untouched.
 *
 * <p>Byte layout of {@link #toBytes()} (big-endian): magic {@code 'C'}, version byte 1, int N, N times (int length,
 * UTF-8 bytes of the category), N + 1 longs (category counts, then "other"), long nulls, long total. It depends on the
 * reference's categories only, never on traffic.
 */
public final class CategoricalWindowState {

    private static final byte MAGIC = 'C';
    private static final byte VERSION = 1;

    private final List<String> categories;
    private final Map<String, Integer> index;
    private final long[] counts;
    private long nullCount;
    private long totalCount;

    private CategoricalWindowState(final List<String> categories, final long[] counts, final long nullCount,
            final long totalCount) {
        this.categories = categories;
        this.index = new HashMap<>(categories.size() * 2);
        for (int i = 0; i < categories.size(); i++) {
            index.put(categories.get(i), i);
        }
        this.counts = counts;
        this.nullCount = nullCount;
        this.totalCount = totalCount;
    }

    /** An empty state over the reference's categories. */
    public static CategoricalWindowState empty(final CategoricalReference reference) {
        if (reference == null) {
            throw new IllegalArgumentException("reference: must not be null");
        }
        return new CategoricalWindowState(reference.categories(), new long[reference.categories().size() + 1], 0, 0);
    }

    /** Counts one value; {@code null} is missing, a value outside the reference categories goes to "other". */
    public CategoricalWindowState update(final String value) {
        totalCount++;
        if (value == null) {
            nullCount++;
            return this;
        }
        final Integer i = index.get(value);
        counts[i == null ? categories.size() : i]++;
        return this;
    }

    /** A new state holding both windows; the categories must be the same. */
    public CategoricalWindowState merge(final CategoricalWindowState other) {
        if (other == null) {
            throw new IllegalArgumentException("other: must not be null");
        }
        if (!categories.equals(other.categories)) {
            throw new IllegalArgumentException("other: categories differ, cannot merge states of different references");
        }
        final long[] merged = counts.clone();
        for (int i = 0; i < merged.length; i++) {
            merged[i] += other.counts[i];
        }
        return new CategoricalWindowState(categories, merged, nullCount + other.nullCount,
                totalCount + other.totalCount);
    }

    public List<String> categories() {
        return categories;
    }

    /** Count per reference category (a copy), in the reference's order. */
    public long[] categoryCounts() {
        final long[] copy = new long[categories.size()];
        System.arraycopy(counts, 0, copy, 0, copy.length);
        return copy;
    }

    /** Values outside the reference categories, including categories never seen in the reference. */
    public long otherCount() {
        return counts[categories.size()];
    }

    public long nullCount() {
        return nullCount;
    }

    public long totalCount() {
        return totalCount;
    }

    /** Non-missing observations. */
    public long count() {
        return totalCount - nullCount;
    }

    /** Share of missing observations; NaN for an empty window. */
    public double nullRate() {
        return totalCount == 0 ? Double.NaN : (double) nullCount / totalCount;
    }

    /** The encoding described in the class comment. */
    public byte[] toBytes() {
        final List<byte[]> names = new ArrayList<>(categories.size());
        int size = 2 + 4 + 8 * (counts.length + 2);
        for (final String category : categories) {
            final byte[] utf8 = category.getBytes(StandardCharsets.UTF_8);
            names.add(utf8);
            size += 4 + utf8.length;
        }
        final ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put(MAGIC).put(VERSION).putInt(categories.size());
        for (final byte[] utf8 : names) {
            buffer.putInt(utf8.length).put(utf8);
        }
        for (final long c : counts) {
            buffer.putLong(c);
        }
        buffer.putLong(nullCount).putLong(totalCount);
        return buffer.array();
    }

    /** Decodes {@link #toBytes()}; a malformed input gets an IllegalArgumentException saying what is wrong. */
    public static CategoricalWindowState fromBytes(final byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes: must not be null");
        }
        try {
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            final byte magic = buffer.get();
            final byte version = buffer.get();
            if (magic != MAGIC || version != VERSION) {
                throw new IllegalArgumentException("bytes: not a CategoricalWindowState v" + VERSION + " (magic "
                        + magic + ", version " + version + ")");
            }
            final int n = buffer.getInt();
            if (n < 1 || n > CategoricalReference.MAX_CATEGORIES) {
                throw new IllegalArgumentException("bytes: category count " + n + " out of range");
            }
            final List<String> categories = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final int length = buffer.getInt();
                if (length < 0 || length > CategoricalReference.MAX_CATEGORY_BYTES) {
                    throw new IllegalArgumentException("bytes: category " + i + " length " + length + " out of range");
                }
                final byte[] utf8 = new byte[length];
                buffer.get(utf8);
                categories.add(new String(utf8, StandardCharsets.UTF_8));
            }
            final long[] counts = new long[n + 1];
            for (int i = 0; i <= n; i++) {
                counts[i] = buffer.getLong();
            }
            final long nulls = buffer.getLong();
            final long total = buffer.getLong();
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException("bytes: " + buffer.remaining() + " trailing bytes");
            }
            long counted = nulls;
            for (final long c : counts) {
                counted += c;
            }
            if (nulls < 0 || counted != total) {
                throw new IllegalArgumentException("bytes: counts and nulls sum to " + counted + " but total is "
                        + total);
            }
            return new CategoricalWindowState(List.copyOf(categories), counts, nulls, total);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("bytes: truncated CategoricalWindowState (" + bytes.length + " bytes)",
                    e);
        }
    }

    @Override
    public String toString() {
        return "CategoricalWindowState[count=" + count() + ", nulls=" + nullCount + ", other=" + otherCount()
                + ", categories=" + categories.size() + "]";
    }
}
