package io.driftguard.model.profile;

import java.util.Arrays;

/**
 * Reference distribution of one numeric feature: quantile bin edges from the reference data and the
 * share of non-null reference values in each bin, plus summary statistics. Bin {@code i} holds values in
 * {@code [edges[i-1], edges[i])}; bin 0 is everything below {@code edges[0]}, the last bin everything at
 * or above the last edge, so {@code proportions.length == binEdges.length + 1}.
 *
 * @param mean null when every reference value was missing (likewise std, min, max)
 */
public record NumericProfile(String name, long count, double nullRate, double[] binEdges, double[] proportions,
    Double mean, Double std, Double min, Double max) {

  public NumericProfile {
    if (binEdges == null || proportions == null || proportions.length != binEdges.length + 1) {
      throw new IllegalArgumentException("profile of '" + name + "' needs binEdges.length + 1 proportions");
    }
    for (int i = 1; i < binEdges.length; i++) {
      if (!(binEdges[i] > binEdges[i - 1])) {
        throw new IllegalArgumentException("profile of '" + name + "': bin edges must increase strictly");
      }
    }
    binEdges = binEdges.clone();
    proportions = proportions.clone();
  }

  /** The bin a live value falls into, with the same rule used to build the reference proportions. */
  public int binIndex(final double value) {
    int lo = 0;
    int hi = binEdges.length;
    while (lo < hi) {
      final int mid = (lo + hi) >>> 1;
      if (binEdges[mid] <= value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof NumericProfile p && name.equals(p.name) && count == p.count
        && Double.compare(nullRate, p.nullRate) == 0 && Arrays.equals(binEdges, p.binEdges)
        && Arrays.equals(proportions, p.proportions) && java.util.Objects.equals(mean, p.mean)
        && java.util.Objects.equals(std, p.std) && java.util.Objects.equals(min, p.min)
        && java.util.Objects.equals(max, p.max);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(proportions);
  }

  @Override
  public String toString() {
    return "NumericProfile[" + name + ", edges=" + Arrays.toString(binEdges) + ", proportions="
        + Arrays.toString(proportions) + ", nullRate=" + nullRate + "]";
  }
}
