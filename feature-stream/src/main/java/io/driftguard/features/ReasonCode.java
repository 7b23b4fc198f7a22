package io.driftguard.features;

/** Why an event produced no feature vector. The name is what {@code DeadLetter.reasonCode} carries. */
public enum ReasonCode {
  /** A required field is missing or null, has the wrong type, or the entity key is blank. */
  CONTRACT_VIOLATION,
  /** A float/double field is NaN or infinite. */
  NON_FINITE,
  /** A value breaks a declared min/max/allowed constraint. */
  OUT_OF_RANGE,
  /** The event time is further past the clock than the feature set's maxFutureSkew. */
  FUTURE_TIMESTAMP,
  /** The event time is older than stream time minus the largest grace. */
  LATE,
  /** The Kafka record key differs from the entity key field (topology only). */
  KEY_MISMATCH,
  /** The record bytes could not be decoded as Avro for their schema (topology only). */
  MALFORMED_BYTES,
  /** The bytes name a schema id the registry does not know (topology only). */
  UNKNOWN_SCHEMA_ID,
  /** The first byte is not the Confluent wire-format magic byte 0 (topology only). */
  WRONG_MAGIC_BYTE,
  /** Fewer bytes than the 5-byte wire-format header (topology only). */
  TRUNCATED,
  /** A null or empty value where an event was expected (topology only). */
  EMPTY_VALUE
}
