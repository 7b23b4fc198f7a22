package io.driftguard.features;

import io.driftguard.platform.deadletter.ReasonCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericRecord;

/**
 * Checks one event against the feature set's data contract: presence and type of every field the schema declares
 * non-null or the set reads, finiteness of floating-point fields, declared constraints, and future skew of the event
 * time. Values of PII fields never appear in a message.
 *
 * <p>Public so that scoring-stream dead-letters exactly the events the feature stream rejects, with the same reason
 * codes. Immutable after construction; one instance may be shared by threads.
 */
public final class ContractValidator {
  private final FeatureSet set;
  private final Map<String, Checked> checked = new LinkedHashMap<>();
  private final FieldPath timestamp;
  private final FieldPath entityKey;
  private final long maxFutureSkewMs;

  private record Checked(FieldPath path, FieldPath.Resolved decl, boolean required, Constraint constraint) {}

  /**
   * @throws IllegalArgumentException when a field the set reads or constrains is not in its event schema
   */
  public ContractValidator(final FeatureSet set) {
    this.set = set;
    this.timestamp = FieldPath.parse(set.timestampField());
    this.entityKey = FieldPath.parse(set.entityKeyField());
    this.maxFutureSkewMs = set.maxFutureSkew().toMillis();
    final List<String> paths = new ArrayList<>();
    for (final Schema.Field f : set.eventSchema().getFields()) {
      paths.add(f.name());
    }
    paths.add(set.entityKeyField());
    paths.add(set.timestampField());
    if (set.eventIdField() != null) {
      paths.add(set.eventIdField());
    }
    for (final FeatureDef f : set.features()) {
      if (f.source() != null) {
        paths.add(f.source());
      }
      if (f.filter() != null) {
        paths.add(FilterSpec.parse(f.filter(), set.eventSchema()).field().path());
      }
    }
    paths.addAll(set.constraints().keySet());
    for (final String p : paths) {
      if (checked.containsKey(p)) {
        continue;
      }
      final FieldPath path = FieldPath.parse(p);
      final FieldPath.Resolved decl = path.resolve(set.eventSchema());
      final Constraint c = set.constraints().get(p);
      final boolean required = !decl.nullable() || (c != null && c.required());
      checked.put(p, new Checked(path, decl, required, c));
    }
  }

  /** Checks {@code event} at wall-clock {@code nowMs} (for the future-skew bound); never null. */
  public Verdict validate(final GenericRecord event, final long nowMs) {
    if (event == null) {
      return Verdict.rejected(ReasonCode.CONTRACT_VIOLATION, null, "event is null");
    }
    for (final Checked c : checked.values()) {
      final Verdict v = check(event, c);
      if (!v.valid()) {
        return v;
      }
    }
    final String key = entityKey.read(event).toString();
    if (key.isBlank()) {
      return Verdict.rejected(ReasonCode.CONTRACT_VIOLATION, entityKey.path(),
          "entity key field '" + entityKey + "' is blank");
    }
    final long ts = FieldPath.epochMillis(timestamp.read(event));
    if (ts > nowMs + maxFutureSkewMs) {
      return Verdict.rejected(ReasonCode.FUTURE_TIMESTAMP, timestamp.path(),
          "field '" + timestamp + "' = " + Instant.ofEpochMilli(ts) + " is more than " + set.maxFutureSkew()
              + " past the clock " + Instant.ofEpochMilli(nowMs));
    }
    return Verdict.accepted();
  }

  private static Verdict check(final GenericRecord event, final Checked c) {
    final String name = c.path().path();
    if (!c.path().presentIn(event)) {
      return c.required()
          ? Verdict.rejected(ReasonCode.CONTRACT_VIOLATION, name, "required field '" + name + "' is missing")
          : Verdict.accepted();
    }
    final Object value = c.path().read(event);
    if (value == null) {
      return c.required()
          ? Verdict.rejected(ReasonCode.CONTRACT_VIOLATION, name, "required field '" + name + "' is null")
          : Verdict.accepted();
    }
    if (!hasType(value, c.decl().schema())) {
      return Verdict.rejected(ReasonCode.CONTRACT_VIOLATION, name, "field '" + name + "' holds a "
          + value.getClass().getSimpleName() + ", the schema declares " + c.decl().type());
    }
    if (value instanceof Double || value instanceof Float) {
      final double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        return Verdict.rejected(ReasonCode.NON_FINITE, name,
            "field '" + name + "' is " + (c.decl().pii() ? "not finite" : String.valueOf(d)));
      }
    }
    final Constraint con = c.constraint();
    if (con != null) {
      final String shown = c.decl().pii() ? "" : " (" + value + ")";
      final Double d = FieldPath.asDouble(value);
      if (con.min() != null && d != null && d < con.min()) {
        return Verdict.rejected(ReasonCode.OUT_OF_RANGE, name,
            "field '" + name + "'" + shown + " is below the minimum " + con.min());
      }
      if (con.max() != null && d != null && d > con.max()) {
        return Verdict.rejected(ReasonCode.OUT_OF_RANGE, name,
            "field '" + name + "'" + shown + " is above the maximum " + con.max());
      }
      if (!con.allowed().isEmpty() && !con.allowed().contains(value.toString())) {
        return Verdict.rejected(ReasonCode.OUT_OF_RANGE, name,
            "field '" + name + "'" + shown + " is not one of the allowed values");
      }
    }
    return Verdict.accepted();
  }

  private static boolean hasType(final Object value, final Schema schema) {
    return switch (schema.getType()) {
      case INT -> value instanceof Integer;
      case LONG -> value instanceof Long || value instanceof Instant;
      case FLOAT -> value instanceof Float;
      case DOUBLE -> value instanceof Double;
      case BOOLEAN -> value instanceof Boolean;
      case STRING -> value instanceof CharSequence;
      case ENUM -> value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>;
      case RECORD -> value instanceof GenericRecord;
      default -> true;
    };
  }
}
