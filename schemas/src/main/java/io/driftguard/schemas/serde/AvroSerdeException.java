package io.driftguard.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A serde failure with a machine-readable {@link Problem}, so a deserialization handler can tell a bad record
 * (dead-letter it) from a registry outage (retry or stop), and fill {@code DeadLetter.reasonCode}.
 */
public class AvroSerdeException extends SerializationException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. {@link #recordFault()} says whether the record itself is to blame. */
  public enum Problem {
    /** Zero-length payload. */
    EMPTY_PAYLOAD(true),
    /** Byte 0 is not 0x00: not the Confluent wire format. */
    UNKNOWN_MAGIC_BYTE(true),
    /** Shorter than the 5-byte header. */
    TRUNCATED_HEADER(true),
    /** The registry does not know the schema id in the payload. */
    UNKNOWN_SCHEMA_ID(true),
    /** The Avro body does not decode with its writer schema (truncated, corrupt, or bytes left over). */
    MALFORMED_BYTES(true),
    /** The writer schema cannot be resolved to the reader schema. */
    SCHEMA_RESOLUTION(true),
    /** The record does not fit its own schema (e.g. null in a non-null field) or is of an unsupported type. */
    INVALID_RECORD(true),
    /** The registry failed or refused (unreachable, 5xx, unknown subject, incompatible); not the record's fault. */
    REGISTRY_ERROR(false),
    /** The serde is misconfigured (e.g. no SpecificRecord class for the writer schema). */
    CONFIGURATION(false);

    private final boolean recordFault;

    Problem(final boolean recordFault) {
      this.recordFault = recordFault;
    }

    /** True when the record itself is bad, so skipping it to a dead-letter topic is right. */
    public boolean recordFault() {
      return recordFault;
    }
  }

  private final Problem problem;
  private final String topic;

  public AvroSerdeException(final Problem problem, final String topic, final String message, final Throwable cause) {
    super(message, cause);
    this.problem = problem;
    this.topic = topic;
  }

  public AvroSerdeException(final Problem problem, final String topic, final String message) {
    this(problem, topic, message, null);
  }

  public Problem problem() {
    return problem;
  }

  public String topic() {
    return topic;
  }
}
