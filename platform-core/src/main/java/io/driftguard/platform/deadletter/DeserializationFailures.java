package io.driftguard.platform.deadletter;

import io.driftguard.schemas.registry.SchemaRegistryException;
import java.io.EOFException;
import java.util.Locale;

/**
 * Classifies a deserialization failure. The Confluent wire format (magic byte 0, 4-byte schema id, Avro binary) is
 * checked on the raw bytes first, so the common cases do not depend on serde message texts.
 */
final class DeserializationFailures {

    private static final int HEADER_LENGTH = 5;

    private DeserializationFailures() {
    }

    static ReasonCode classify(final byte[] value, final Exception exception) {
        if (value == null || value.length == 0) {
            return ReasonCode.EMPTY_VALUE;
        }
        if (value[0] != 0) {
            return ReasonCode.WRONG_MAGIC_BYTE;
        }
        if (value.length < HEADER_LENGTH) {
            return ReasonCode.TRUNCATED;
        }
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registryError && registryError.isNotFound()) {
                return ReasonCode.UNKNOWN_SCHEMA_ID;
            }
            if (t instanceof EOFException || t instanceof ArrayIndexOutOfBoundsException) {
                return ReasonCode.TRUNCATED;
            }
            final String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("40403") || message.contains("schema not found")
                || message.contains("unknown schema id") || message.contains("schema id") && message.contains("not found")) {
                return ReasonCode.UNKNOWN_SCHEMA_ID;
            }
            if (message.contains("truncated") || message.contains("end of stream")) {
                return ReasonCode.TRUNCATED;
            }
        }
        return ReasonCode.MALFORMED_BYTES;
    }

    /**
     * True when the record may be fine and the failure is the registry's (unreachable, 5xx, auth): such records must
     * be retried, not dead-lettered.
     */
    static boolean isTransient(final Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registryError) {
                return !registryError.isNotFound();
            }
        }
        return false;
    }

    /** A reason text from exception types and messages; serde messages name ids and lengths, not field values. */
    static String describe(final ReasonCode code, final Exception exception) {
        final StringBuilder text = new StringBuilder(code.name()).append(": ");
        Throwable t = exception;
        for (int depth = 0; t != null && depth < 3; depth++, t = t.getCause()) {
            if (depth > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }
}
