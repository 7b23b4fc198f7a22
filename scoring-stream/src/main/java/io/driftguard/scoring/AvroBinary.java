package io.driftguard.scoring;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Plain Avro binary (no registry header) for internal state: the versioned feature store's values. The schema is
 * the one compiled into this build, so the store changelog does not need the registry to restore.
 */
final class AvroBinary {
  private AvroBinary() {
  }

  static <T extends SpecificRecord> Serde<T> serde(final Class<T> type, final org.apache.avro.Schema schema) {
    final SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(schema);
    final SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema);
    final Serializer<T> ser = (topic, value) -> {
      if (value == null) {
        return null;
      }
      final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      final BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
      try {
        writer.write(value, enc);
        enc.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
      }
      return out.toByteArray();
    };
    final Deserializer<T> de = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      final BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes, null);
      try {
        return reader.read(null, dec);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot decode " + type.getSimpleName() + " from " + bytes.length
            + " bytes", e);
      }
    };
    return Serdes.serdeFrom(ser, de);
  }
}
