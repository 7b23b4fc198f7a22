package io.driftguard.model.eval;

/**
 * A measured scoring latency passed into the report (the report does not measure).
 *
 * @param mode what was timed, e.g. "single-row" or "batch-256"
 * @param rowsPerCall rows scored per call (1 for single-row)
 * @param p50Micros median latency of one call, microseconds
 * @param p99Micros 99th-percentile latency of one call, microseconds
 */
public record LatencyMeasurement(String mode, int rowsPerCall, double p50Micros, double p99Micros) {
    public LatencyMeasurement {
        if (mode == null || mode.isBlank()) {
            throw new IllegalArgumentException("latency mode must not be blank");
        }
        if (rowsPerCall < 1) {
            throw new IllegalArgumentException("rowsPerCall of '" + mode + "' must be >= 1, was " + rowsPerCall);
        }
        if (!(p50Micros > 0) || Double.isInfinite(p50Micros)) {
            throw new IllegalArgumentException("p50Micros of '" + mode + "' must be finite and > 0, was " + p50Micros);
        }
        if (!(p99Micros >= p50Micros) || Double.isInfinite(p99Micros)) {
            throw new IllegalArgumentException("p99Micros of '" + mode + "' must be finite and >= p50Micros, was "
                    + p99Micros);
        }
    }

    /** Median microseconds per row. */
    public double perRowMicros() {
        return p50Micros / rowsPerCall;
    }

    /** Rows per second of one thread at the median latency. */
    public double rowsPerSecond() {
        return rowsPerCall * 1_000_000.0 / p50Micros;
    }
}
