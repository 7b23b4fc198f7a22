package io.driftguard.model.eval;

/**
 * Metrics of the rows whose slice column has one value. Undefined ratios are NaN.
 *
 * @param rocAuc NaN when the slice has only one class
 */
public record SliceMetrics(String column, String value, long n, long positives, long flagged, double precision,
                           double recall, double rocAuc) {
}
