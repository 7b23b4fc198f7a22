package io.driftguard.scoring;

/** Reason codes written to {@code Prediction.reasonCodes} / {@code fallbackReason} and to the metric tags. */
final class ReasonCodes {
  /** A model input is absent from the vector or the event, or null. */
  static final String MISSING_FEATURE = "MISSING_FEATURE";
  /** A vector feature is older than its freshness SLA at the event time. */
  static final String STALE_FEATURE = "STALE_FEATURE";
  /** A value is NaN or infinite. */
  static final String NON_FINITE_FEATURE = "NON_FINITE_FEATURE";
  /** A numeric value outside the artifact's training range, or an unknown category. */
  static final String OUT_OF_RANGE_FEATURE = "OUT_OF_RANGE_FEATURE";
  /** The vector was computed by a different feature-set definition than the artifact expects. */
  static final String WRONG_FEATURE_SET_HASH = "WRONG_FEATURE_SET_HASH";
  /** No vector of the entity before the event: the feature set's defaults (the empty history) are used. */
  static final String NO_FEATURE_VECTOR = "NO_FEATURE_VECTOR";
  /**
   * The event waited {@code maxTaskIdle} for the {@code features} partition to reach {@code t - 1 ms} and was scored
   * with what the store had: a vector of the entity may still be missing or older than the point-in-time rule's.
   */
  static final String FEATURES_LATE = "FEATURES_LATE";
  /** The model threw while scoring. */
  static final String MODEL_ERROR = "MODEL_ERROR";
  /** The model answered after the configured timeout. */
  static final String MODEL_TIMEOUT = "MODEL_TIMEOUT";
  /** The version's circuit breaker is open after repeated failures. */
  static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";
  /** The version could not be loaded or does not fit the feature set. */
  static final String MODEL_UNAVAILABLE = "MODEL_UNAVAILABLE";
  /** No champion is known: neither the registry nor a command named one. */
  static final String NO_MODEL = "NO_MODEL";

  private ReasonCodes() {
  }

  static String of(final String code, final String feature) {
    return code + ":" + feature;
  }
}
