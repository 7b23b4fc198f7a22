package io.driftguard.platform.deadletter;

import io.driftguard.avro.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Plain Avro binary for DeadLetter in unit tests that need no registry. */
final class AvroBinary {

    private AvroBinary() {
    }

    static Serializer<DeadLetter> serializer() {
        return (topic, letter) -> {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            try {
                new SpecificDatumWriter<>(DeadLetter.class).write(letter, encoder);
                encoder.flush();
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        };
    }

    static Deserializer<DeadLetter> deserializer() {
        return (topic, bytes) -> {
            try {
                return new SpecificDatumReader<>(DeadLetter.class)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
