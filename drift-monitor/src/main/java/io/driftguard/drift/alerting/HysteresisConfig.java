package io.driftguard.drift.alerting;

/**
 * @param raiseAfter consecutive breaching windows before an alert fires (N >= 1)
 * @param clearAfter consecutive clean windows before a firing alert resolves (M >= 1)
 * @param repeatWhileFiring whether every further breaching window re-emits FIRING (with the current value and the
 *     persistence so far), so that downstream rules on persistence see it
 */
public record HysteresisConfig(int raiseAfter, int clearAfter, boolean repeatWhileFiring) {

    public static final int DEFAULT_RAISE_AFTER = 3;
    public static final int DEFAULT_CLEAR_AFTER = 3;

    public HysteresisConfig {
        if (raiseAfter < 1 || raiseAfter > 1000) {
            throw new IllegalArgumentException("raiseAfter: must be in [1, 1000], got " + raiseAfter);
        }
        if (clearAfter < 1 || clearAfter > 1000) {
            throw new IllegalArgumentException("clearAfter: must be in [1, 1000], got " + clearAfter);
        }
    }

    /** Raise after 3, clear after 3, repeat while firing. */
    public static HysteresisConfig defaults() {
        return new HysteresisConfig(DEFAULT_RAISE_AFTER, DEFAULT_CLEAR_AFTER, true);
    }
}
