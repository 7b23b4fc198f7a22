package io.driftguard.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Confluent's compatibility levels, checked with Avro's own {@link SchemaCompatibility}. */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(final boolean backward, final boolean forward, final boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** Parses a level name (case-insensitive); throws naming the bad value. */
  public static CompatibilityLevel parse(final String level) {
    if (level == null || level.isBlank()) {
      throw new IllegalArgumentException("Compatibility level must not be blank; one of " + List.of(values()));
    }
    try {
      return valueOf(level.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Unknown compatibility level '" + level + "'; one of " + List.of(values()), e);
    }
  }

  /**
   * Returns the reasons {@code candidate} may not follow {@code existingOldestFirst} under this level; an empty list
   * means compatible. Non-transitive levels only compare with the newest existing schema.
   */
  public List<String> problems(final Schema candidate, final List<Schema> existingOldestFirst) {
    final List<String> problems = new ArrayList<>();
    if (this == NONE || existingOldestFirst.isEmpty()) {
      return problems;
    }
    final List<Schema> against = transitive
        ? existingOldestFirst
        : List.of(existingOldestFirst.get(existingOldestFirst.size() - 1));
    for (final Schema previous : against) {
      if (backward) {
        // Backward: consumers using the new schema can read data written with the previous one.
        collect(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous).getResult(),
            "new schema cannot read data written with a previous schema", problems);
      }
      if (forward) {
        collect(SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate).getResult(),
            "a previous schema cannot read data written with the new schema", problems);
      }
    }
    return problems;
  }

  private static void collect(final SchemaCompatibilityResult result, final String direction,
      final List<String> problems) {
    if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    for (final Incompatibility incompatibility : result.getIncompatibilities()) {
      problems.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
          + " (" + incompatibility.getMessage() + ")");
    }
    if (result.getIncompatibilities().isEmpty()) {
      problems.add(direction);
    }
  }
}
