package io.driftguard.drift.stats;

/**
 * Two-sample Kolmogorov–Smirnov result computed from sketches.
 *
 * @param statistic D = sup |F_window - F_reference| of the represented distributions
 * @param errorBound bound on |D - D_exact| from the sketches' rank errors (window + reference)
 * @param pValue asymptotic p-value of {@code statistic}
 * @param conservativePValue asymptotic p-value of {@code max(0, statistic - errorBound)}: the largest p-value D could
 *     have given the sketch error; thresholds use this one so that sketch error alone never raises an alert
 * @param windowCount window sample size n
 * @param referenceCount reference sample size m
 */
public record KsResult(double statistic, double errorBound, double pValue, double conservativePValue,
        long windowCount, long referenceCount) {
}
