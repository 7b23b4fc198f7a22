package io.driftguard.features;

import java.util.Arrays;
import java.util.Locale;

/** How a feature folds the events of its window into one number. */
public enum Aggregation {
  COUNT, SUM, MEAN, MIN, MAX, STDDEV, LAST, TIME_SINCE_LAST, DISTINCT_COUNT, RATIO;

  /** The YAML spelling, e.g. {@code time_since_last}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Aggregation fromYaml(final String text) {
    for (final Aggregation a : values()) {
      if (a.yamlName().equals(text)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown aggregation '" + text + "' (expected one of "
        + Arrays.stream(values()).map(Aggregation::yamlName).toList() + ")");
  }

  /** Needs a numeric source field. */
  boolean numeric() {
    return switch (this) {
      case SUM, MEAN, MIN, MAX, STDDEV, LAST -> true;
      default -> false;
    };
  }

  /** Must declare a source field. */
  boolean needsSource() {
    return numeric() || this == DISTINCT_COUNT;
  }

  /** May omit the window and then looks back over the whole (idle-TTL-bounded) history of the entity. */
  boolean windowOptional() {
    return this == LAST || this == TIME_SINCE_LAST;
  }
}
