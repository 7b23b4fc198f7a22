package io.driftguard.model.eval;

import java.util.Objects;

/**
 * A metric value with its percentile-bootstrap confidence interval. {@code value} is NaN when the metric is
 * undefined on the data (e.g. ROC-AUC with one class); bounds are NaN when no resample defined it.
 *
 * @param definedResamples how many bootstrap resamples had the metric defined (the CI is over these)
 */
public record MetricEstimate(Metric metric, double value, double lower, double upper, int definedResamples) {
    public MetricEstimate {
        Objects.requireNonNull(metric, "metric");
        if (definedResamples < 0) {
            throw new IllegalArgumentException("definedResamples must be >= 0, was " + definedResamples);
        }
    }

    public boolean defined() {
        return !Double.isNaN(value);
    }
}
