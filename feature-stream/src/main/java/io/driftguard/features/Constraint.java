package io.driftguard.features;

import java.util.List;

/**
 * A value constraint on one event field, checked by the data contract before any feature sees the event.
 *
 * @param required the field must be present and non-null even if the schema allows null
 * @param min inclusive lower bound for a numeric field, or null
 * @param max inclusive upper bound for a numeric field, or null
 * @param allowed the only permitted values (compared as strings), or empty for any
 */
public record Constraint(boolean required, Double min, Double max, List<String> allowed) {
  public Constraint {
    allowed = allowed == null ? List.of() : List.copyOf(allowed);
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException("min " + min + " is greater than max " + max);
    }
  }
}
