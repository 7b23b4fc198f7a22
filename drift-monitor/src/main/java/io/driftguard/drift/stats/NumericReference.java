package io.driftguard.drift.stats;

/**
 * The reference profile of one numeric feature, as the drift statistics need it.
 *
 * @param bins reference quantile bins (PSI, Jensen–Shannon)
 * @param distribution reference distribution (KS, Wasserstein)
 * @param std reference standard deviation, > 0 (normalises Wasserstein)
 * @param nullRate share of missing values in the reference, in [0, 1]
 */
public record NumericReference(ReferenceBins bins, ReferenceDistribution distribution, double std, double nullRate) {

    public NumericReference {
        if (bins == null) {
            throw new IllegalArgumentException("bins: must not be null");
        }
        if (distribution == null) {
            throw new IllegalArgumentException("distribution: must not be null");
        }
        if (!Double.isFinite(std) || !(std > 0.0)) {
            throw new IllegalArgumentException("std: must be finite and > 0, got " + std);
        }
        if (!(nullRate >= 0.0 && nullRate <= 1.0)) {
            throw new IllegalArgumentException("nullRate: must be in [0, 1], got " + nullRate);
        }
    }
}
