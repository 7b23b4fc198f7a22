package io.driftguard.schemas.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A GenericRecord serde configurable by class name, like Confluent's {@code GenericAvroSerde}: it reads
 * {@code schema.registry.url} and the other Confluent properties; it never uses specific classes.
 */
public class GenericAvroSerde implements Serde<GenericRecord> {
  private final AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
  private final AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>();

  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    final Map<String, Object> generic = new HashMap<>(configs);
    generic.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
    generic.remove(isKey ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE);
    serializer.configure(generic, isKey);
    deserializer.configure(generic, isKey);
  }

  @Override
  public Serializer<GenericRecord> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<GenericRecord> deserializer() {
    return deserializer;
  }
}
