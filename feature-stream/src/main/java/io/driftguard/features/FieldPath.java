package io.driftguard.features;

import io.driftguard.schemas.Pii;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** A dotted path to a (possibly nested) field of an Avro record, e.g. {@code amount} or {@code merchant.country}. */
record FieldPath(String path, List<String> segments) {

  FieldPath {
    if (path == null || path.isBlank() || segments == null || segments.isEmpty()) {
      throw new IllegalArgumentException("field path is empty");
    }
    segments = List.copyOf(segments);
  }

  static FieldPath parse(final String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("field path is empty");
    }
    final List<String> parts = Arrays.asList(path.trim().split("\\."));
    for (final String p : parts) {
      if (p.isBlank()) {
        throw new IllegalArgumentException("field path '" + path + "' has an empty segment");
      }
    }
    return new FieldPath(path.trim(), parts);
  }

  /** The field's declaration in {@code schema}: its non-null type, whether null is allowed, whether any segment is PII. */
  Resolved resolve(final Schema schema) {
    Schema current = schema;
    boolean nullable = false;
    for (int i = 0; i < segments.size(); i++) {
      final Schema record = nonNull(current);
      if (record.getType() != Schema.Type.RECORD) {
        throw new IllegalArgumentException(
            "field '" + path + "': '" + String.join(".", segments.subList(0, i)) + "' is not a record");
      }
      final Schema.Field field = record.getField(segments.get(i));
      if (field == null) {
        throw new IllegalArgumentException("unknown field '" + path + "' in schema " + schema.getFullName());
      }
      nullable |= isNullable(field.schema());
      current = field.schema();
    }
    return new Resolved(nonNull(current), nullable, markedPii(schema));
  }

  /** Whether this field or a record enclosing it is PII by the schemas module's rule, the one every module uses. */
  private boolean markedPii(final Schema schema) {
    final List<String> marked = Pii.piiFields(schema);
    for (int i = 1; i <= segments.size(); i++) {
      if (marked.contains(String.join(".", segments.subList(0, i)))) {
        return true;
      }
    }
    return false;
  }

  /** The value at this path, or null when the field or any enclosing record is absent or null. */
  Object read(final GenericRecord record) {
    Object current = record;
    for (final String segment : segments) {
      if (!(current instanceof GenericRecord r) || !r.hasField(segment)) {
        return null;
      }
      current = r.get(segment);
    }
    return current;
  }

  /** Whether every segment of this path is declared by the record's own schema (a writer may have dropped a field). */
  boolean presentIn(final GenericRecord record) {
    Object current = record;
    for (final String segment : segments) {
      if (!(current instanceof GenericRecord r)) {
        return current == null;
      }
      if (!r.hasField(segment)) {
        return false;
      }
      current = r.get(segment);
    }
    return true;
  }

  @Override
  public String toString() {
    return path;
  }

  static Schema nonNull(final Schema schema) {
    if (schema.getType() == Schema.Type.UNION) {
      final List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
      if (branches.size() == 1) {
        return branches.get(0);
      }
    }
    return schema;
  }

  static boolean isNullable(final Schema schema) {
    return schema.getType() == Schema.Type.NULL
        || (schema.getType() == Schema.Type.UNION
            && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL));
  }

  /** Converts a timestamp value as Avro hands it out: a Long (generic) or an Instant (specific, logical type). */
  static Long epochMillis(final Object value) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof Instant i) {
      return i.toEpochMilli();
    }
    return null;
  }

  /** A numeric reading of an Avro value (Number, or Instant for timestamp logical types); null otherwise. */
  static Double asDouble(final Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Instant i) {
      return (double) i.toEpochMilli();
    }
    return null;
  }

  record Resolved(Schema schema, boolean nullable, boolean pii) {
    Schema.Type type() {
      return schema.getType();
    }

    boolean numeric() {
      return switch (schema.getType()) {
        case INT, LONG, FLOAT, DOUBLE -> true;
        default -> false;
      };
    }

    boolean scalar() {
      return switch (schema.getType()) {
        case INT, LONG, FLOAT, DOUBLE, STRING, ENUM, BOOLEAN -> true;
        default -> false;
      };
    }
  }
}
