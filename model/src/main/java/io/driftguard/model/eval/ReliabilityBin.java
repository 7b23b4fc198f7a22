package io.driftguard.model.eval;

/**
 * One equal-width calibration bin [lower, upper) (the last bin includes 1.0).
 *
 * @param meanScore mean predicted probability in the bin; NaN when empty
 * @param observedRate fraction of positives in the bin; NaN when empty
 */
public record ReliabilityBin(int index, double lower, double upper, long count, double meanScore,
                             double observedRate) {
}
