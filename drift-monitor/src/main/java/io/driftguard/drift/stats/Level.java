package io.driftguard.drift.stats;

import io.driftguard.avro.Severity;

/** Outcome of one statistic on one window. */
public enum Level {
    /** Fewer observations than the minimum sample size: no verdict, neither breach nor clean. */
    INSUFFICIENT_DATA,
    CLEAN,
    WARNING,
    CRITICAL;

    public boolean isBreach() {
        return this == WARNING || this == CRITICAL;
    }

    /** The Alert severity of a breach. */
    public Severity toSeverity() {
        return switch (this) {
            case WARNING -> Severity.WARNING;
            case CRITICAL -> Severity.CRITICAL;
            default -> throw new IllegalStateException("level " + this + " is not a breach and has no severity");
        };
    }
}
