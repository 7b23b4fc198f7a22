package io.driftguard.model.profile;

import java.util.Arrays;

/**
 * Reference distribution of calibrated scores: fixed equal-width bins over [0,1] (a score of exactly
 * 1.0 falls in the last bin), the mean score, the mean confidence {@code max(s, 1-s)} and the positive
 * label rate of the reference rows.
 *
 * @param std the population standard deviation of the scores (normalises Wasserstein); null in manifests written
 *     before this field existed
 * @param quantiles the scores' quantiles at equally spaced ranks {@code i / (m - 1)} (minimum first, maximum last);
 *     null in older manifests or without scores
 */
public record ScoreProfile(long count, double[] proportions, double meanScore, double meanConfidence,
    double positiveRate, Double std, double[] quantiles) {

  public ScoreProfile {
    if (proportions == null || proportions.length == 0) {
      throw new IllegalArgumentException("score profile needs at least one bin");
    }
    if (std != null && !(std >= 0.0 && Double.isFinite(std))) {
      throw new IllegalArgumentException("score profile: std must be finite and >= 0, got " + std);
    }
    proportions = proportions.clone();
    quantiles = NumericProfile.checkQuantiles("score profile", quantiles);
  }

  /** A profile without std and quantiles (the shape before they were added). */
  public ScoreProfile(final long count, final double[] proportions, final double meanScore,
      final double meanConfidence, final double positiveRate) {
    this(count, proportions, meanScore, meanConfidence, positiveRate, null, null);
  }

  /** A copy of the quantiles, or null when the profile has none. */
  @Override
  public double[] quantiles() {
    return quantiles == null ? null : quantiles.clone();
  }

  public int bins() {
    return proportions.length;
  }

  public int binIndex(final double score) {
    return Math.min(proportions.length - 1, Math.max(0, (int) Math.floor(score * proportions.length)));
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof ScoreProfile p && count == p.count && Arrays.equals(proportions, p.proportions)
        && Double.compare(meanScore, p.meanScore) == 0 && Double.compare(meanConfidence, p.meanConfidence) == 0
        && Double.compare(positiveRate, p.positiveRate) == 0 && java.util.Objects.equals(std, p.std)
        && Arrays.equals(quantiles, p.quantiles);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(proportions);
  }

  @Override
  public String toString() {
    return "ScoreProfile[" + Arrays.toString(proportions) + ", meanScore=" + meanScore + "]";
  }
}
