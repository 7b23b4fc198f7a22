package io.driftguard.features;

import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The freshness SLA applied when features are read: every feature of a served vector gets its age and a stale flag,
 * so no reader is handed an expired value as if it were current. The same rule drives the
 * {@code driftguard.feature.sla.breached.entities} gauge.
 *
 * <p>Rule: a feature's age is the wall clock minus its as-of time (the event time of the newest event that contributed
 * to it); it is stale when the age exceeds its {@code freshnessSla}. A defaulted value (as-of null: no event
 * contributed as of the vector's time) has no age and is not stale: "nothing happened" stays true until an event
 * arrives, and that event produces a newer vector.
 */
public final class Freshness {
  private Freshness() {}

  /**
   * One feature's freshness.
   *
   * @param name feature name
   * @param ageMs wall clock minus as-of time in ms (never negative), or null for a defaulted value
   * @param slaMs the feature's freshness SLA in ms
   * @param stale whether {@code ageMs > slaMs}
   */
  public record Feature(String name, Long ageMs, long slaMs, boolean stale) {
    public Feature {
      Objects.requireNonNull(name, "name");
    }
  }

  /** The freshness of every feature of {@code vector}, in vector order, at wall-clock {@code nowMs}. */
  public static List<Feature> assess(final FeatureSet set, final FeatureVector vector, final long nowMs) {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(vector, "vector");
    final List<Feature> out = new ArrayList<>(vector.getFeatures().size());
    for (final FeatureValue v : vector.getFeatures()) {
      final FeatureDef def = set.feature(v.getName()).orElseThrow(() -> new IllegalArgumentException(
          "feature '" + v.getName() + "' of the vector of entity '" + vector.getEntityId()
              + "' is not in feature set '" + set.name() + "'"));
      out.add(of(def, v.getAsOf() == null ? null : v.getAsOf().toEpochMilli(), nowMs));
    }
    return out;
  }

  static Feature of(final FeatureDef def, final Long asOfMs, final long nowMs) {
    final long sla = def.freshnessSla().toMillis();
    if (asOfMs == null) {
      return new Feature(def.name(), null, sla, false);
    }
    final long age = Math.max(0, nowMs - asOfMs);
    return new Feature(def.name(), age, sla, age > sla);
  }
}
