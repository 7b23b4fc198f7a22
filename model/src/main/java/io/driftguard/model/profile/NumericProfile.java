package io.driftguard.model.profile;

import java.util.Arrays;

/**
 * Reference distribution of one numeric feature: quantile bin edges from the reference data and the
 * share of non-null reference values in each bin, plus summary statistics. Bin {@code i} holds values in
 * {@code [edges[i-1], edges[i])}; bin 0 is everything below {@code edges[0]}, the last bin everything at
 * or above the last edge, so {@code proportions.length == binEdges.length + 1}.
 *
 * @param mean null when every reference value was missing (likewise std, min, max)
 * @param quantiles the non-null reference values' quantiles at equally spaced ranks {@code i / (m - 1)}, i = 0..m-1
 *     (the first is the minimum, the last the maximum; {@link ProfileBuilder#DEFAULT_QUANTILES} of them), so a
 *     consumer can rebuild the whole reference CDF, tails included, for KS and Wasserstein; null in manifests written
 *     before this field existed, or when every value was missing
 */
public record NumericProfile(String name, long count, double nullRate, double[] binEdges, double[] proportions,
    Double mean, Double std, Double min, Double max, double[] quantiles) {

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
    quantiles = checkQuantiles("profile of '" + name + "'", quantiles);
  }

  /** A profile without quantiles (the shape before they were added). */
  public NumericProfile(final String name, final long count, final double nullRate, final double[] binEdges,
      final double[] proportions, final Double mean, final Double std, final Double min, final Double max) {
    this(name, count, nullRate, binEdges, proportions, mean, std, min, max, null);
  }

  /** Null stays null; otherwise at least 2 finite, non-decreasing values (a copy is kept). */
  static double[] checkQuantiles(final String owner, final double[] quantiles) {
    if (quantiles == null) {
      return null;
    }
    if (quantiles.length < 2) {
      throw new IllegalArgumentException(owner + ": quantiles needs at least 2 values (minimum and maximum), got "
          + quantiles.length);
    }
    for (int i = 0; i < quantiles.length; i++) {
      if (!Double.isFinite(quantiles[i])) {
        throw new IllegalArgumentException(owner + ": quantiles[" + i + "] must be finite, got " + quantiles[i]);
      }
      if (i > 0 && quantiles[i] < quantiles[i - 1]) {
        throw new IllegalArgumentException(owner + ": quantiles[" + i + "] must not be below quantiles[" + (i - 1)
            + "]");
      }
    }
    return quantiles.clone();
  }

  /** A copy of the quantiles, or null when the profile has none. */
  @Override
  public double[] quantiles() {
    return quantiles == null ? null : quantiles.clone();
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
        && java.util.Objects.equals(max, p.max) && Arrays.equals(quantiles, p.quantiles);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(proportions);
  }

  @Override
  public String toString() {
    return "NumericProfile[" + name + ", edges=" + Arrays.toString(binEdges) + ", proportions="
        + Arrays.toString(proportions) + ", nullRate=" + nullRate + ", quantiles="
        + (quantiles == null ? "none" : quantiles.length) + "]";
  }
}
