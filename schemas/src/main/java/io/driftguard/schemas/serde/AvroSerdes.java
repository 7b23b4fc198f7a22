package io.driftguard.schemas.serde;

import io.driftguard.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Ready-made Confluent-wire-format Avro serdes bound to a registry client. Their {@code configure} is a no-op. */
public final class AvroSerdes {
  private AvroSerdes() {
  }

  /** Specific serde with auto-register on and TopicNameStrategy. */
  public static <T extends SpecificRecord> Serde<T> specific(final Class<T> type, final SchemaRegistryClient client,
      final boolean isKey) {
    return specific(type, client, isKey, AvroSerdeConfig.defaults());
  }

  public static <T extends SpecificRecord> Serde<T> specific(final Class<T> type, final SchemaRegistryClient client,
      final boolean isKey, final AvroSerdeConfig config) {
    final AvroSerdeConfig specific = config.withSpecificType(type);
    return Serdes.serdeFrom(new AvroSerializer<>(client, specific, isKey),
        new AvroDeserializer<>(client, specific, isKey, null));
  }

  /** Generic serde with auto-register on, TopicNameStrategy, reading with the writer schema. */
  public static Serde<GenericRecord> generic(final SchemaRegistryClient client, final boolean isKey) {
    return generic(client, isKey, null, AvroSerdeConfig.defaults());
  }

  /**
   * Generic serde reading into {@code readerSchemaOrNull} (writer schemas are resolved against it; null = see
   * {@link AvroDeserializer}).
   */
  public static Serde<GenericRecord> generic(final SchemaRegistryClient client, final boolean isKey,
      final Schema readerSchemaOrNull, final AvroSerdeConfig config) {
    if (config.specificReader()) {
      throw new IllegalArgumentException("A generic Avro serde cannot use a specific reader config: " + config);
    }
    return Serdes.serdeFrom(new AvroSerializer<>(client, config, isKey),
        new AvroDeserializer<>(client, config, isKey, readerSchemaOrNull));
  }
}
