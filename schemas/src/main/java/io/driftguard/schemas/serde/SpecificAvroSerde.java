package io.driftguard.schemas.serde;

import io.driftguard.schemas.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A specific-record serde configurable by class name (e.g. {@code default.value.serde}), like Confluent's
 * {@code SpecificAvroSerde}: it reads {@code schema.registry.url} and the other Confluent properties, and always
 * reads into SpecificRecord classes.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {
  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;

  public SpecificAvroSerde() {
    this.serializer = new AvroSerializer<>();
    this.deserializer = new AvroDeserializer<>();
  }

  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    final Map<String, Object> specific = new HashMap<>(configs);
    specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
    serializer.configure(specific, isKey);
    deserializer.configure(specific, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  /** A serde already bound to {@code client}; convenience for {@link AvroSerdes#specific}. */
  public static <T extends SpecificRecord> org.apache.kafka.common.serialization.Serde<T> of(final Class<T> type,
      final SchemaRegistryClient client, final boolean isKey) {
    return AvroSerdes.specific(type, client, isKey);
  }
}
