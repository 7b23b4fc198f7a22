package io.driftguard.drift.alerting;

import io.driftguard.drift.stats.Level;
import io.driftguard.drift.stats.StatisticVerdict;
import java.time.Instant;

/**
 * One window's verdict for one alert key: the input of {@link AlertHysteresis}.
 *
 * @param windowStart inclusive
 * @param windowEnd exclusive, after windowStart
 */
public record WindowVerdict(AlertKey key, Instant windowStart, Instant windowEnd, Level level, double value,
        double threshold) {

    public WindowVerdict {
        if (key == null) {
            throw new IllegalArgumentException("key: must not be null");
        }
        if (windowStart == null || windowEnd == null) {
            throw new IllegalArgumentException((windowStart == null ? "windowStart" : "windowEnd")
                    + ": must not be null");
        }
        if (!windowEnd.isAfter(windowStart)) {
            throw new IllegalArgumentException("windowEnd: must be after windowStart (" + windowStart + "), got "
                    + windowEnd);
        }
        if (level == null) {
            throw new IllegalArgumentException("level: must not be null");
        }
    }

    /** From a statistic's verdict; the key's statistic should name the same statistic. */
    public static WindowVerdict of(final AlertKey key, final Instant windowStart, final Instant windowEnd,
            final StatisticVerdict verdict) {
        if (verdict == null) {
            throw new IllegalArgumentException("verdict: must not be null");
        }
        if (key != null && !key.statistic().equals(verdict.statistic().alertName())) {
            throw new IllegalArgumentException("key: statistic '" + key.statistic() + "' does not match the verdict's '"
                    + verdict.statistic().alertName() + "'");
        }
        return new WindowVerdict(key, windowStart, windowEnd, verdict.level(), verdict.value(), verdict.threshold());
    }
}
