package io.driftguard.drift.stats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference profile of one categorical feature: its top-N categories with their shares, the share of every other
 * category together ({@code otherProportion}), and the share of missing values.
 *
 * <p>Window values outside {@code categories}, including categories never seen in the reference, are counted in the
 * "other" bucket, so the state stays bounded by N + 1 counters whatever the traffic.
 */
public record CategoricalReference(List<String> categories, double[] proportions, double otherProportion,
        double nullRate) {

    /** Largest N accepted. */
    public static final int MAX_CATEGORIES = 1000;
    /** Longest category name accepted, in UTF-8 bytes. */
    public static final int MAX_CATEGORY_BYTES = 256;

    public CategoricalReference {
        if (categories == null) {
            throw new IllegalArgumentException("categories: must not be null");
        }
        if (proportions == null) {
            throw new IllegalArgumentException("proportions: must not be null");
        }
        if (categories.isEmpty() || categories.size() > MAX_CATEGORIES) {
            throw new IllegalArgumentException("categories: count must be in [1, " + MAX_CATEGORIES + "], got "
                    + categories.size());
        }
        if (proportions.length != categories.size()) {
            throw new IllegalArgumentException("proportions: expected " + categories.size()
                    + " values (one per category), got " + proportions.length);
        }
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < categories.size(); i++) {
            final String category = categories.get(i);
            if (category == null) {
                throw new IllegalArgumentException("categories[" + i + "]: must not be null");
            }
            if (category.getBytes(StandardCharsets.UTF_8).length > MAX_CATEGORY_BYTES) {
                throw new IllegalArgumentException("categories[" + i + "]: longer than " + MAX_CATEGORY_BYTES
                        + " UTF-8 bytes");
            }
            if (!seen.add(category)) {
                throw new IllegalArgumentException("categories[" + i + "]: duplicate category '" + category + "'");
            }
        }
        double sum = otherProportion;
        if (!Double.isFinite(otherProportion) || otherProportion < 0.0) {
            throw new IllegalArgumentException("otherProportion: must be a finite value >= 0, got " + otherProportion);
        }
        for (int i = 0; i < proportions.length; i++) {
            if (!Double.isFinite(proportions[i]) || proportions[i] < 0.0) {
                throw new IllegalArgumentException("proportions[" + i + "]: must be a finite value >= 0, got "
                        + proportions[i]);
            }
            sum += proportions[i];
        }
        if (Math.abs(sum - 1.0) > 1e-6) {
            throw new IllegalArgumentException("proportions: with otherProportion must sum to 1 (within 1e-6), got "
                    + sum);
        }
        if (!(nullRate >= 0.0 && nullRate <= 1.0)) {
            throw new IllegalArgumentException("nullRate: must be in [0, 1], got " + nullRate);
        }
        categories = List.copyOf(categories);
        final double[] normalised = new double[proportions.length];
        for (int i = 0; i < normalised.length; i++) {
            normalised[i] = proportions[i] / sum;
        }
        proportions = normalised;
        otherProportion = otherProportion / sum;
    }

    /**
     * Keeps the {@code topN} most frequent categories of a reference sample's counts (ties broken by name) and folds the
     * rest into "other".
     */
    public static CategoricalReference fromCounts(final Map<String, Long> counts, final long nullCount,
            final int topN) {
        if (counts == null || counts.isEmpty()) {
            throw new IllegalArgumentException("counts: must hold at least one category");
        }
        if (topN < 1 || topN > MAX_CATEGORIES) {
            throw new IllegalArgumentException("topN: must be in [1, " + MAX_CATEGORIES + "], got " + topN);
        }
        if (nullCount < 0) {
            throw new IllegalArgumentException("nullCount: must be >= 0, got " + nullCount);
        }
        final List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        long total = 0;
        for (final Map.Entry<String, Long> e : sorted) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("counts[" + e.getKey() + "]: must be >= 0, got " + e.getValue());
            }
            total += e.getValue();
        }
        if (total == 0) {
            throw new IllegalArgumentException("counts: all zero");
        }
        final int kept = Math.min(topN, sorted.size());
        final List<String> names = new ArrayList<>(kept);
        final double[] shares = new double[kept];
        long keptTotal = 0;
        for (int i = 0; i < kept; i++) {
            names.add(sorted.get(i).getKey());
            shares[i] = (double) sorted.get(i).getValue() / total;
            keptTotal += sorted.get(i).getValue();
        }
        return new CategoricalReference(names, shares, (double) (total - keptTotal) / total,
                (double) nullCount / (total + nullCount));
    }

    @Override
    public double[] proportions() {
        return proportions.clone();
    }

    double proportion(final int index) {
        return proportions[index];
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof CategoricalReference other && categories.equals(other.categories)
                && java.util.Arrays.equals(proportions, other.proportions)
                && Double.compare(otherProportion, other.otherProportion) == 0
                && Double.compare(nullRate, other.nullRate) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(categories, java.util.Arrays.hashCode(proportions), otherProportion, nullRate);
    }

    @Override
    public String toString() {
        return "CategoricalReference[categories=" + categories + ", proportions="
                + java.util.Arrays.toString(proportions) + ", otherProportion=" + otherProportion + ", nullRate="
                + nullRate + "]";
    }
}
