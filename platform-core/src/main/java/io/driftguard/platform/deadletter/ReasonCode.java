package io.driftguard.platform.deadletter;

/**
 * Machine-readable reasons written to {@code DeadLetter.reasonCode} and the {@code reason} tag of the counter. The one
 * set every driftguard app uses, so a dashboard or a replay tool sees the same codes whichever stage rejected a record.
 */
public enum ReasonCode {
    /** Bytes that the serde could not decode (not Avro for the registered schema). */
    MALFORMED_BYTES,
    /** Confluent wire format with a schema id the registry does not know. */
    UNKNOWN_SCHEMA_ID,
    /** First byte is not the Confluent magic byte 0. */
    WRONG_MAGIC_BYTE,
    /** Fewer bytes than the wire-format header or the Avro record needs. */
    TRUNCATED,
    /** Empty value bytes where a record was expected. */
    EMPTY_VALUE,
    /** Written with a schema that cannot be resolved to the reader's schema (incompatible evolution). */
    SCHEMA_RESOLUTION,
    /** Decodable but violates the data contract (a required field missing, out of range, ...). */
    CONTRACT_VIOLATION,
    /** A numeric field is NaN or infinite. */
    NON_FINITE,
    /** A value breaks a declared min/max/allowed constraint of the data contract. */
    OUT_OF_RANGE,
    /** The event time is further in the future than the allowed clock skew. */
    FUTURE_TIMESTAMP,
    /** Arrived after the window grace period closed. */
    LATE,
    /** No key where an entity id key is required. */
    NULL_KEY,
    /** The record key is not the entity id the value carries. */
    KEY_MISMATCH,
    /** Larger than the stage can keep in its change-logged state (a topic's default max.message.bytes is 1 MB). */
    TOO_LARGE,
    /** A processor threw while handling the record. */
    PROCESSING_ERROR
}
