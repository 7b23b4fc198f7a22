package io.driftguard.drift.stats;

/**
 * One statistic's verdict on one window.
 *
 * @param statistic which statistic
 * @param value its value (a p-value for KS and chi-square); NaN when not evaluated
 * @param threshold the threshold it was compared against (critical for a CRITICAL verdict, else warning)
 * @param level the outcome
 * @param sampleSize observations the statistic was computed from
 */
public record StatisticVerdict(Statistic statistic, double value, double threshold, Level level, long sampleSize) {

    public StatisticVerdict {
        if (statistic == null) {
            throw new IllegalArgumentException("statistic: must not be null");
        }
        if (level == null) {
            throw new IllegalArgumentException("level: must not be null");
        }
    }
}
