package io.driftguard.platform.deadletter;

/** Machine-readable reasons written to {@code DeadLetter.reasonCode} and the {@code reason} tag of the counter. */
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
    /** Arrived after the window grace period closed. */
    LATE,
    /** No key where an entity id key is required. */
    NULL_KEY,
    /** A processor threw while handling the record. */
    PROCESSING_ERROR
}
