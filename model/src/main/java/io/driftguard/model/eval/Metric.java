package io.driftguard.model.eval;

/** The metrics every evaluation reports, each with a bootstrap confidence interval. */
public enum Metric {
    PRECISION("precision", true),
    RECALL("recall", true),
    F1("f1", true),
    ROC_AUC("roc_auc", true),
    /** Average precision: the step-wise area under the precision-recall curve, ties taken as one threshold. */
    PR_AUC("pr_auc", true),
    /** Mean negative log-likelihood with probabilities clipped to [eps, 1 - eps]. */
    LOG_LOSS("log_loss", false),
    BRIER("brier", false),
    /** Expected calibration error over equal-width score bins (10 by default). */
    ECE("ece", false);

    private final String key;
    private final boolean higherIsBetter;

    Metric(final String key, final boolean higherIsBetter) {
        this.key = key;
        this.higherIsBetter = higherIsBetter;
    }

    /** Stable snake_case name used in reports and gate configuration. */
    public String key() {
        return key;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public static Metric fromKey(final String key) {
        for (final Metric m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + key + "'");
    }
}
