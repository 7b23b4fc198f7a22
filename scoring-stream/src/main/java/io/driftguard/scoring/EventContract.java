package io.driftguard.scoring;

import io.driftguard.features.Constraint;
import io.driftguard.features.FeatureSet;
import io.driftguard.platform.deadletter.DeserializationFailures;
import io.driftguard.platform.deadletter.ReasonCode;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The checks an event must pass before it is scored: the same data contract the feature stream applies (entity key,
 * event id and time present; declared constraints; finite numbers; not too far in the future), so that an event the
 * feature stream dead-letters is dead-lettered here too and never gets a prediction. Messages name the field and
 * never show a value.
 */
final class EventContract {

  /** Why an event cannot be scored. */
  record Violation(ReasonCode code, String stage, String message) {
  }

  /** The identity of a valid event. */
  record Identity(String entityId, String eventId, long eventTimeMs) {
  }

  static final String STAGE_DESERIALIZE = "deserialize";
  static final String STAGE_VALIDATE = "validate";

  private final FeatureSet set;

  EventContract(final FeatureSet set) {
    this.set = set;
  }

  /** Checks a decoded event against its Kafka key and the wall clock; returns null when it is valid. */
  Violation check(final String key, final GenericRecord event, final long nowMs) {
    if (key == null) {
      return new Violation(ReasonCode.NULL_KEY, STAGE_VALIDATE, "record has no key; the key must be the entity id");
    }
    for (final Schema.Field f : event.getSchema().getFields()) {
      final Object v = event.get(f.pos());
      final boolean nullable = f.schema().isNullable();
      final Constraint c = set.constraints().get(f.name());
      if (v == null) {
        if (!nullable || (c != null && c.required())) {
          return new Violation(ReasonCode.CONTRACT_VIOLATION, STAGE_VALIDATE, "field '" + f.name() + "' is null");
        }
        continue;
      }
      if (v instanceof Double d && !Double.isFinite(d) || v instanceof Float fl && !Float.isFinite(fl)) {
        return new Violation(ReasonCode.NON_FINITE, STAGE_VALIDATE, "field '" + f.name() + "' is NaN or infinite");
      }
      if (c != null) {
        if (v instanceof Number n && (c.min() != null && n.doubleValue() < c.min()
            || c.max() != null && n.doubleValue() > c.max())) {
          return new Violation(ReasonCode.CONTRACT_VIOLATION, STAGE_VALIDATE, "field '" + f.name()
              + "' is outside [" + c.min() + ", " + c.max() + "]");
        }
        if (!c.allowed().isEmpty() && !c.allowed().contains(v.toString())) {
          return new Violation(ReasonCode.CONTRACT_VIOLATION, STAGE_VALIDATE, "field '" + f.name()
              + "' is not one of the allowed values " + c.allowed());
        }
      }
    }
    final Object entity = event.get(set.entityKeyField());
    if (entity == null || entity.toString().isBlank()) {
      return new Violation(ReasonCode.CONTRACT_VIOLATION, STAGE_VALIDATE, "entity key field '"
          + set.entityKeyField() + "' is missing or blank");
    }
    if (!entity.toString().equals(key)) {
      return new Violation(ReasonCode.CONTRACT_VIOLATION, STAGE_VALIDATE, "record key is not the entity id in field '"
          + set.entityKeyField() + "'");
    }
    if (set.eventIdField() != null && event.get(set.eventIdField()) == null) {
      return new Violation(ReasonCode.CONTRACT_VIOLATION, STAGE_VALIDATE, "event id field '" + set.eventIdField()
          + "' is null");
    }
    final Object ts = event.get(set.timestampField());
    if (ts == null) {
      return new Violation(ReasonCode.CONTRACT_VIOLATION, STAGE_VALIDATE, "timestamp field '" + set.timestampField()
          + "' is null");
    }
    if (millis(ts) > nowMs + set.maxFutureSkew().toMillis()) {
      return new Violation(ReasonCode.CONTRACT_VIOLATION, STAGE_VALIDATE, "timestamp field '"
          + set.timestampField() + "' is more than " + set.maxFutureSkew() + " past the clock");
    }
    return null;
  }

  /** The entity id, event id and event time of a checked event ({@code fallbackEventId} when none is declared). */
  Identity identity(final GenericRecord event, final String fallbackEventId) {
    final Object id = set.eventIdField() == null ? null : event.get(set.eventIdField());
    return new Identity(event.get(set.entityKeyField()).toString(), id == null ? fallbackEventId : id.toString(),
        millis(event.get(set.timestampField())));
  }

  static long millis(final Object ts) {
    if (ts instanceof Instant i) {
      return i.toEpochMilli();
    }
    if (ts instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException("timestamp of type " + ts.getClass().getSimpleName() + " is not epoch ms");
  }

  /**
   * Classifies a decode failure as platform-core's deserialization handler does; null means transient (registry
   * down): retry, not a dead letter.
   */
  static ReasonCode classify(final byte[] value, final RuntimeException error) {
    return DeserializationFailures.isTransient(error) ? null : DeserializationFailures.classify(value, error);
  }

  static Map.Entry<ReasonCode, String> describe(final ReasonCode code, final RuntimeException error) {
    return Map.entry(code, DeserializationFailures.describe(code, error));
  }
}
