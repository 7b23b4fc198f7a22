package io.driftguard.drift.stats;

/** The drift statistics, with the name used in {@code Alert.statistic}. */
public enum Statistic {
    PSI("psi"),
    JS_DISTANCE("js"),
    /** Verdict on the conservative KS p-value. */
    KS("ks"),
    WASSERSTEIN("wasserstein"),
    /** Verdict on the chi-square p-value. */
    CHI_SQUARE("chi2"),
    /** Absolute difference of window and reference null rates. */
    NULL_RATE_DIFF("null_rate");

    private final String alertName;

    Statistic(final String alertName) {
        this.alertName = alertName;
    }

    /** The name written to {@code Alert.statistic}. */
    public String alertName() {
        return alertName;
    }
}
