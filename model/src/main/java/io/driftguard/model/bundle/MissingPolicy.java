package io.driftguard.model.bundle;

/**
 * What the scorer does when a feature is missing or older than its freshness SLA.
 * IMPUTE: use the bundle's imputation value and score; FALLBACK: use the fallback rule instead of the
 * model; ABSTAIN: emit no score.
 */
public enum MissingPolicy {
  IMPUTE,
  FALLBACK,
  ABSTAIN
}
