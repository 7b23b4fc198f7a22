package io.driftguard.scoring;

import io.driftguard.features.ContractValidator;
import io.driftguard.features.FeatureSet;
import io.driftguard.features.Verdict;
import io.driftguard.platform.deadletter.DeserializationFailures;
import io.driftguard.platform.deadletter.ReasonCode;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * The checks an event must pass before it is scored: the feature stream's own {@link ContractValidator} (so an event
 * the feature stream dead-letters is dead-lettered here too, with the same reason code, and never gets a prediction),
 * plus what only the scorer checks: the Kafka key is present and is the entity id. Messages name the field and never
 * show a PII value.
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
  private final ContractValidator validator;

  EventContract(final FeatureSet set) {
    this.set = set;
    this.validator = new ContractValidator(set);
  }

  /** Checks a decoded event against its Kafka key and the wall clock; returns null when it is valid. */
  Violation check(final String key, final GenericRecord event, final long nowMs) {
    if (key == null) {
      return new Violation(ReasonCode.NULL_KEY, STAGE_VALIDATE, "record has no key; the key must be the entity id");
    }
    final Verdict verdict = validator.validate(event, nowMs);
    if (!verdict.valid()) {
      return new Violation(verdict.reasonCode(), STAGE_VALIDATE, verdict.message());
    }
    if (!event.get(set.entityKeyField()).toString().equals(key)) {
      return new Violation(ReasonCode.CONTRACT_VIOLATION, STAGE_VALIDATE, "record key is not the entity id in field '"
          + set.entityKeyField() + "'");
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
