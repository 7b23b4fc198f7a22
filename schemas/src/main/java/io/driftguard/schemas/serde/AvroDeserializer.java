package io.driftguard.schemas.serde;

import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro. The writer schema is fetched by the id in the payload and resolved against the
 * reader schema, so a reader on a newer compatible schema reads older data. The reader schema is the SpecificRecord
 * class ({@code specific.avro.reader=true}: the configured {@code specific.avro.value.type}, else the class named by
 * the writer schema), else an explicit reader schema, else the subject's latest version
 * ({@code use.latest.version=true}), else the writer schema itself. A null payload (tombstone) gives null; every
 * malformed payload raises {@link SerializationException} naming the topic and the problem.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
  private SchemaRegistryClient client;
  private AvroSerdeConfig config;
  private boolean isKey;
  private boolean preconfigured;
  private Schema readerSchema;
  private final Map<ReaderKey, DatumReader<Object>> readers = new ConcurrentHashMap<>();
  private final Map<String, Schema> latestBySubject = new ConcurrentHashMap<>();

  private record ReaderKey(int writerId, String topic) {
  }

  /** For configuration by class name; {@link #configure(Map, boolean)} must be called before use. */
  public AvroDeserializer() {
  }

  /**
   * @param readerSchemaOrNull the schema to read into (generic mode only); null means as described above
   */
  public AvroDeserializer(final SchemaRegistryClient client, final AvroSerdeConfig config, final boolean isKey,
      final Schema readerSchemaOrNull) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.isKey = isKey;
    this.readerSchema = readerSchemaOrNull;
    this.preconfigured = true;
  }

  /** Ignored when the deserializer was built with a client; otherwise reads Confluent's property names. */
  @Override
  public void configure(final Map<String, ?> configs, final boolean key) {
    if (preconfigured) {
      return;
    }
    this.config = AvroSerdeConfig.fromConfigs(configs, key);
    this.client = RegistryClients.fromConfigs(configs);
    this.isKey = key;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(final String topic, final byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    final String what = "Error deserializing Avro " + (isKey ? "key" : "value") + " from topic '" + topic + "'";
    if (client == null) {
      throw new SerializationException(what + ": deserializer not configured: call configure() with "
          + "schema.registry.url or build it through AvroSerdes");
    }
    if (bytes.length == 0) {
      throw new SerializationException(what + ": empty payload (0 bytes); " + WireFormat.describe());
    }
    if (bytes[0] != WireFormat.MAGIC_BYTE) {
      throw new SerializationException(what + String.format(": unknown magic byte 0x%02x; ", bytes[0] & 0xff)
          + WireFormat.describe());
    }
    if (bytes.length < WireFormat.HEADER_SIZE) {
      throw new SerializationException(what + ": truncated payload of " + bytes.length + " bytes, shorter than the "
          + WireFormat.HEADER_SIZE + "-byte header; " + WireFormat.describe());
    }
    final int id = WireFormat.readId(bytes);
    final DatumReader<Object> reader;
    try {
      reader = readers.computeIfAbsent(new ReaderKey(id, topic), key -> readerFor(key, what));
    } catch (SchemaRegistryException e) {
      throw new SerializationException(what + (e.isNotFound() ? ": unknown schema id " + id
          : ": cannot fetch schema id " + id) + " from the schema registry: " + e.getMessage(), e);
    }
    final BoundedBinaryDecoder decoder =
        new BoundedBinaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE);
    final Object result;
    try {
      result = reader.read(null, decoder);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
      throw new SerializationException(what + ": cannot decode " + (bytes.length - WireFormat.HEADER_SIZE)
          + " Avro bytes written with schema id " + id + " (" + client.getById(id).getFullName() + "): "
          + e.getMessage(), e);
    }
    if (decoder.remaining() != 0) {
      throw new SerializationException(what + ": " + decoder.remaining() + " bytes left over after decoding a "
          + client.getById(id).getFullName() + " with schema id " + id
          + "; the payload does not match its schema id (corrupt or mislabelled data)");
    }
    return (T) result;
  }

  @SuppressWarnings("unchecked")
  private DatumReader<Object> readerFor(final ReaderKey key, final String what) {
    final Schema writer = client.getById(key.writerId());
    if (config.specificReader()) {
      Class<?> type = config.specificType();
      if (type == null) {
        type = SpecificData.get().getClass(writer);
      }
      if (type == null || !org.apache.avro.specific.SpecificRecord.class.isAssignableFrom(type)) {
        throw new SerializationException(what + ": no SpecificRecord class " + writer.getFullName()
            + " on the classpath for schema id " + key.writerId()
            + "; set specific.avro.value.type / specific.avro.key.type or read generically");
      }
      final SpecificData model = SpecificData.getForClass(type);
      return (DatumReader<Object>) (DatumReader<?>) new SpecificDatumReader<>(writer, model.getSchema(type), model);
    }
    Schema reader = readerSchema;
    if (reader == null && config.useLatestVersion()) {
      final String subject = config.subjectNameStrategy().subject(key.topic(), isKey, writer);
      reader = latestBySubject.computeIfAbsent(subject, s -> client.getLatest(s).schema());
    }
    return new GenericDatumReader<>(writer, reader == null ? writer : reader, GenericData.get());
  }

  @Override
  public void close() {
    // The registry client may be shared (mock scopes, injected clients); its owner closes it.
  }
}
