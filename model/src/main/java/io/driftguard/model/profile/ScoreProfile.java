package io.driftguard.model.profile;

import java.util.Arrays;

/**
 * Reference distribution of calibrated scores: fixed equal-width bins over [0,1] (a score of exactly
 * 1.0 falls in the last bin), the mean score, the mean confidence {@code max(s, 1-s)} and the positive
 * label rate of the reference rows.
 */
public record ScoreProfile(long count, double[] proportions, double meanScore, double meanConfidence,
    double positiveRate) {

  public ScoreProfile {
    if (proportions == null || proportions.length == 0) {
      throw new IllegalArgumentException("score profile needs at least one bin");
    }
    proportions = proportions.clone();
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
        && Double.compare(positiveRate, p.positiveRate) == 0;
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
