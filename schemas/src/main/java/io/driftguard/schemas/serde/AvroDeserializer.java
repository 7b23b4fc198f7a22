package io.driftguard.schemas.serde;

import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import io.driftguard.schemas.serde.AvroSerdeException.Problem;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro. The writer schema is fetched by the id in the payload and resolved against the
 * reader schema, so a reader on a newer compatible schema reads older data. The reader schema is the SpecificRecord
 * class ({@code specific.avro.reader=true}: the configured {@code specific.avro.value.type}, else the class named by
 * the writer schema), else an explicit reader schema, else the subject's latest version
 * ({@code use.latest.version=true}), else the writer schema itself. A null payload (tombstone) gives null; every
 * malformed payload raises an {@link AvroSerdeException} (a Kafka {@code SerializationException}) naming the topic
 * and the problem, with a {@link Problem} code.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
  private SchemaRegistryClient client;
  private AvroSerdeConfig config;
  private boolean isKey;
  private boolean preconfigured;
  private Schema readerSchema;
  private final Map<ReaderKey, ReaderEntry> readers = new ConcurrentHashMap<>();
  private final Map<String, Schema> latestBySubject = new ConcurrentHashMap<>();

  private record ReaderKey(int writerId, String topic) {
  }

  private record ReaderEntry(DatumReader<Object> datumReader, Schema readerSchema) {
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
      throw new AvroSerdeException(Problem.CONFIGURATION, topic, what + ": deserializer not configured: call "
          + "configure() with schema.registry.url or build it through AvroSerdes");
    }
    if (bytes.length == 0) {
      throw new AvroSerdeException(Problem.EMPTY_PAYLOAD, topic,
          what + ": empty payload (0 bytes); " + WireFormat.describe());
    }
    if (bytes[0] != WireFormat.MAGIC_BYTE) {
      throw new AvroSerdeException(Problem.UNKNOWN_MAGIC_BYTE, topic,
          what + String.format(": unknown magic byte 0x%02x; ", bytes[0] & 0xff) + WireFormat.describe());
    }
    if (bytes.length < WireFormat.HEADER_SIZE) {
      throw new AvroSerdeException(Problem.TRUNCATED_HEADER, topic, what + ": truncated payload of " + bytes.length
          + " bytes, shorter than the " + WireFormat.HEADER_SIZE + "-byte header; " + WireFormat.describe());
    }
    final int id = WireFormat.readId(bytes);
    final Schema writer;
    try {
      writer = client.getById(id);
    } catch (SchemaRegistryException e) {
      if (e.isSchemaNotFound()) {
        throw new AvroSerdeException(Problem.UNKNOWN_SCHEMA_ID, topic,
            what + ": unknown schema id " + id + " (the schema registry has no such id): " + e.getMessage(), e);
      }
      throw new AvroSerdeException(Problem.REGISTRY_ERROR, topic,
          what + ": cannot fetch schema id " + id + " from the schema registry: " + e.getMessage(), e);
    }
    final ReaderEntry reader;
    try {
      reader = readers.computeIfAbsent(new ReaderKey(id, topic), key -> readerFor(key, writer, what));
    } catch (SchemaRegistryException e) {
      throw new AvroSerdeException(Problem.REGISTRY_ERROR, topic, what + ": cannot fetch the reader schema for "
          + "writer schema id " + id + " from the schema registry: " + e.getMessage(), e);
    }
    final BoundedBinaryDecoder decoder =
        new BoundedBinaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE);
    final Object result;
    try {
      result = reader.datumReader().read(null, decoder);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
      final List<String> incompatibilities = incompatibilities(reader.readerSchema(), writer);
      if (!incompatibilities.isEmpty()) {
        throw new AvroSerdeException(Problem.SCHEMA_RESOLUTION, topic, what + ": data written with schema id " + id
            + " (" + writer.getFullName() + ") cannot be read with reader schema "
            + reader.readerSchema().getFullName() + ": " + incompatibilities + " (" + e.getMessage() + ")", e);
      }
      throw new AvroSerdeException(Problem.MALFORMED_BYTES, topic, what + ": cannot decode "
          + (bytes.length - WireFormat.HEADER_SIZE) + " Avro bytes written with schema id " + id + " ("
          + writer.getFullName() + "): " + e.getMessage(), e);
    }
    if (decoder.remaining() != 0) {
      throw new AvroSerdeException(Problem.MALFORMED_BYTES, topic, what + ": " + decoder.remaining()
          + " bytes left over after decoding a " + writer.getFullName() + " with schema id " + id
          + "; the payload does not match its schema id (corrupt or mislabelled data)");
    }
    return (T) result;
  }

  @SuppressWarnings("unchecked")
  private ReaderEntry readerFor(final ReaderKey key, final Schema writer, final String what) {
    if (config.specificReader()) {
      Class<?> type = config.specificType();
      if (type == null) {
        type = SpecificData.get().getClass(writer);
      }
      if (type == null || !org.apache.avro.specific.SpecificRecord.class.isAssignableFrom(type)) {
        throw new AvroSerdeException(Problem.CONFIGURATION, key.topic(), what + ": no SpecificRecord class "
            + writer.getFullName() + " on the classpath for schema id " + key.writerId()
            + "; set specific.avro.value.type / specific.avro.key.type or read generically");
      }
      final SpecificData model = SpecificData.getForClass(type);
      final Schema reader = model.getSchema(type);
      return new ReaderEntry((DatumReader<Object>) (DatumReader<?>) new SpecificDatumReader<>(writer, reader, model),
          reader);
    }
    Schema chosen = readerSchema;
    if (chosen == null && config.useLatestVersion()) {
      final String subject = config.subjectNameStrategy().subject(key.topic(), isKey, writer);
      chosen = latestBySubject.computeIfAbsent(subject, s -> client.getLatest(s).schema());
    }
    final Schema reader = chosen == null ? writer : chosen;
    return new ReaderEntry(new GenericDatumReader<>(writer, reader, GenericData.get()), reader);
  }

  /**
   * Why {@code writer} data cannot be read as {@code reader}; empty when it can. Only consulted after a failure:
   * Avro resolves some schemas (e.g. a writer union branch the data never uses) that this check calls incompatible.
   */
  private static List<String> incompatibilities(final Schema reader, final Schema writer) {
    final SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (compatibility.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return compatibility.getResult().getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")").toList();
  }

  @Override
  public void close() {
    // The registry client may be shared (mock scopes, injected clients); its owner closes it.
  }
}
