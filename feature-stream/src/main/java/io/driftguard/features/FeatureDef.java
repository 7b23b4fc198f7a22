package io.driftguard.features;

import java.time.Duration;
import java.util.Objects;

/**
 * One declared feature. Validated against the event schema by {@link FeatureSet#load}; this record only checks what it
 * can see alone.
 *
 * @param name feature name, unique in its set
 * @param aggregation how events are folded
 * @param source field path read from the event; null for count/time_since_last without a field and for ratio
 * @param filter row filter text ({@code channel == ONLINE}), or null
 * @param window event-time window; null only for ratio and for last/time_since_last (whole retained history)
 * @param freshnessSla how old the feature's as-of time may be before it counts as stale
 * @param defaultValue value when no event contributed; null means "no value" (count and distinct_count fall back to 0)
 * @param numerator numerator feature of a ratio, else null
 * @param denominator denominator feature of a ratio, else null
 * @param exactLimit distinct_count: above this many distinct values the count switches to an HLL estimate
 */
public record FeatureDef(
    String name,
    Aggregation aggregation,
    String source,
    String filter,
    WindowSpec window,
    Duration freshnessSla,
    Double defaultValue,
    String numerator,
    String denominator,
    int exactLimit) {

  /** Default exact-distinct limit: exact sets up to this size, HLL beyond. */
  public static final int DEFAULT_EXACT_LIMIT = 1000;

  public FeatureDef {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("feature name is empty");
    }
    Objects.requireNonNull(aggregation, () -> "feature '" + name + "': aggregation");
    Objects.requireNonNull(freshnessSla, () -> "feature '" + name + "': freshnessSla");
    if (freshnessSla.isNegative() || freshnessSla.isZero()) {
      throw new IllegalArgumentException("feature '" + name + "': freshnessSla must be positive");
    }
    if (defaultValue != null && !Double.isFinite(defaultValue)) {
      throw new IllegalArgumentException("feature '" + name + "': default must be finite");
    }
    if (exactLimit < 1) {
      throw new IllegalArgumentException("feature '" + name + "': exactLimit must be >= 1");
    }
  }

  /** The value used when no event contributed. */
  Double effectiveDefault() {
    if (defaultValue != null) {
      return defaultValue;
    }
    return aggregation == Aggregation.COUNT || aggregation == Aggregation.DISTINCT_COUNT ? 0.0 : null;
  }
}
