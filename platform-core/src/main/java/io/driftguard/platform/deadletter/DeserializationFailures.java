package io.driftguard.platform.deadletter;

import io.driftguard.schemas.registry.SchemaRegistryException;
import io.driftguard.schemas.serde.AvroSerdeException;
import java.io.EOFException;
import java.util.Locale;

/**
 * Classifies a deserialization failure. driftguard's Avro serde says what went wrong in
 * {@link AvroSerdeException#problem()}; for any other serde, the Confluent wire format (magic byte 0, 4-byte schema
 * id, Avro binary) is checked on the raw bytes, then causes and messages are looked at.
 *
 * <p>Public so that topologies that decode inside a processor (to dead-letter the original bytes) classify exactly
 * as {@link DeadLetterDeserializationHandler} does.
 */
public final class DeserializationFailures {

    private static final int HEADER_LENGTH = 5;

    private DeserializationFailures() {
    }

    /** The reason code of a record fault; check {@link #isTransient} first, a transient failure is no record fault. */
    public static ReasonCode classify(final byte[] value, final Exception exception) {
        final AvroSerdeException serde = find(exception, AvroSerdeException.class);
        if (serde != null) {
            return switch (serde.problem()) {
                case EMPTY_PAYLOAD -> ReasonCode.EMPTY_VALUE;
                case UNKNOWN_MAGIC_BYTE -> ReasonCode.WRONG_MAGIC_BYTE;
                case TRUNCATED_HEADER -> ReasonCode.TRUNCATED;
                case UNKNOWN_SCHEMA_ID -> ReasonCode.UNKNOWN_SCHEMA_ID;
                case MALFORMED_BYTES -> find(exception, EOFException.class) != null
                    ? ReasonCode.TRUNCATED : ReasonCode.MALFORMED_BYTES;
                case SCHEMA_RESOLUTION -> ReasonCode.SCHEMA_RESOLUTION;
                case INVALID_RECORD -> ReasonCode.CONTRACT_VIOLATION;
                case REGISTRY_ERROR, CONFIGURATION -> ReasonCode.MALFORMED_BYTES;
            };
        }
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
                || message.contains("unknown schema id")) {
                return ReasonCode.UNKNOWN_SCHEMA_ID;
            }
        }
        return ReasonCode.MALFORMED_BYTES;
    }

    /**
     * True when the record may be fine and the failure is the registry's or the serde's configuration: such records
     * must be retried or stop the app, never be dead-lettered.
     */
    public static boolean isTransient(final Exception exception) {
        final AvroSerdeException serde = find(exception, AvroSerdeException.class);
        if (serde != null) {
            return !serde.problem().recordFault();
        }
        final SchemaRegistryException registryError = find(exception, SchemaRegistryException.class);
        return registryError != null && !registryError.isNotFound();
    }

    /** A reason text from exception types and messages; driftguard's serde messages never echo record values. */
    public static String describe(final ReasonCode code, final Exception exception) {
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

    private static <T extends Throwable> T find(final Throwable exception, final Class<T> type) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
