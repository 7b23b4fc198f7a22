package io.driftguard.platform.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.schemas.registry.SchemaRegistryException;
import io.driftguard.schemas.serde.AvroSerdeException;
import io.driftguard.schemas.serde.AvroSerdeException.Problem;
import java.io.EOFException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class DeserializationFailuresTest {

    private static final byte[] HEADER_OK = {0, 0, 0, 0, 9, 2, 4};

    @Test
    void shouldClassifyFromBytesWhenWireFormatIsBroken() {
        final SerializationException e = new SerializationException("boom");
        assertThat(DeserializationFailures.classify(null, e)).isEqualTo(ReasonCode.EMPTY_VALUE);
        assertThat(DeserializationFailures.classify(new byte[0], e)).isEqualTo(ReasonCode.EMPTY_VALUE);
        assertThat(DeserializationFailures.classify(new byte[] {7, 0, 0, 0, 1}, e)).isEqualTo(ReasonCode.WRONG_MAGIC_BYTE);
        assertThat(DeserializationFailures.classify(new byte[] {0, 0, 1}, e)).isEqualTo(ReasonCode.TRUNCATED);
    }

    @Test
    void shouldClassifyFromCauseWhenHeaderIsFine() {
        assertThat(DeserializationFailures.classify(HEADER_OK,
            new SerializationException("decode failed", new EOFException()))).isEqualTo(ReasonCode.TRUNCATED);
        assertThat(DeserializationFailures.classify(HEADER_OK,
            new SerializationException("Schema not found; error code: 40403"))).isEqualTo(ReasonCode.UNKNOWN_SCHEMA_ID);
        assertThat(DeserializationFailures.classify(HEADER_OK,
            new SerializationException("Error deserializing Avro message", new IllegalArgumentException("bad union"))))
            .isEqualTo(ReasonCode.MALFORMED_BYTES);
    }

    @Test
    void shouldTreatRegistryOutageAsTransientWhenSchemaLookupFails() {
        final SerializationException outage = new SerializationException("cannot fetch schema id 3",
            new SchemaRegistryException(503, 50003, "forwarding error"));
        final SerializationException unknown = new SerializationException("unknown schema id 3",
            new SchemaRegistryException(404, 40403, "Schema not found"));
        assertThat(DeserializationFailures.isTransient(outage)).isTrue();
        assertThat(DeserializationFailures.isTransient(unknown)).isFalse();
        assertThat(DeserializationFailures.classify(HEADER_OK, unknown)).isEqualTo(ReasonCode.UNKNOWN_SCHEMA_ID);
    }

    @Test
    void shouldUseSerdeProblemWhenDriftguardSerdeFailed() {
        assertThat(DeserializationFailures.classify(HEADER_OK,
            new AvroSerdeException(Problem.SCHEMA_RESOLUTION, "t", "cannot resolve")))
            .isEqualTo(ReasonCode.SCHEMA_RESOLUTION);
        assertThat(DeserializationFailures.classify(HEADER_OK,
            new AvroSerdeException(Problem.MALFORMED_BYTES, "t", "cannot decode", new EOFException("short"))))
            .isEqualTo(ReasonCode.TRUNCATED);
        assertThat(DeserializationFailures.classify(HEADER_OK,
            new AvroSerdeException(Problem.MALFORMED_BYTES, "t", "3 bytes left over")))
            .isEqualTo(ReasonCode.MALFORMED_BYTES);
        assertThat(DeserializationFailures.isTransient(new AvroSerdeException(Problem.REGISTRY_ERROR, "t", "down")))
            .isTrue();
        assertThat(DeserializationFailures.isTransient(new AvroSerdeException(Problem.CONFIGURATION, "t", "no class")))
            .isTrue();
        assertThat(DeserializationFailures.isTransient(new AvroSerdeException(Problem.UNKNOWN_SCHEMA_ID, "t", "?")))
            .isFalse();
    }
}
