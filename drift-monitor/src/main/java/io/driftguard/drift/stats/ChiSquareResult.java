package io.driftguard.drift.stats;

/**
 * Pearson chi-square goodness-of-fit of a window's category counts against the reference shares.
 *
 * @param statistic sum over used buckets of (observed - expected)^2 / expected
 * @param degreesOfFreedom used buckets - 1
 * @param pValue upper tail of the chi-square distribution with {@code degreesOfFreedom}
 * @param otherCount window values outside the reference categories (unseen categories included)
 * @param windowCount non-missing window values
 */
public record ChiSquareResult(double statistic, int degreesOfFreedom, double pValue, long otherCount,
        long windowCount) {
}
