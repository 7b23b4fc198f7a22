package io.driftguard.schemas.serde;

import io.driftguard.schemas.registry.RegisteredSchema;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryException;
import io.driftguard.schemas.serde.AvroSerdeException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.UnresolvedUnionException;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (SpecificRecord, GenericRecord, enums, fixed) and Avro primitives (String, Integer, Long,
 * Float, Double, Boolean, byte[], ByteBuffer) in Confluent's wire format, so any Confluent consumer can read them.
 * The schema id comes from registering the record's schema ({@code auto.register.schemas=true}, the default), from
 * the subject's latest version ({@code use.latest.version=true}; the record is converted by field name to that
 * schema) or from looking the record's schema up. Configure by class name with {@code schema.registry.url}, or build
 * with {@link AvroSerdes}.
 */
public class AvroSerializer<T> implements Serializer<T> {
  /** Buffered encoders are re-targeted per call; one per thread avoids a buffer allocation per record. */
  private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

  private SchemaRegistryClient client;
  private AvroSerdeConfig config;
  private boolean isKey;
  private boolean preconfigured;
  private final Map<Object, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
  private final Map<String, RegisteredSchema> latestBySubject = new ConcurrentHashMap<>();

  /** For configuration by class name; {@link #configure(Map, boolean)} must be called before use. */
  public AvroSerializer() {
  }

  public AvroSerializer(final SchemaRegistryClient client, final AvroSerdeConfig config, final boolean isKey) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.isKey = isKey;
    this.preconfigured = true;
  }

  /** Ignored when the serializer was built with a client; otherwise reads Confluent's property names. */
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
  public byte[] serialize(final String topic, final T data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new AvroSerdeException(Problem.CONFIGURATION, topic, "Avro serializer for topic '" + topic
          + "' is not configured: call configure() with schema.registry.url or build it through AvroSerdes");
    }
    final String what = (isKey ? "key" : "value") + " for topic '" + topic + "'";
    final Schema schema = schemaOf(data, topic, what);
    final String subject = config.subjectNameStrategy().subject(topic, isKey, schema);
    final int id;
    Schema writeSchema = schema;
    Object toWrite = data;
    try {
      if (config.autoRegister()) {
        id = client.register(subject, schema);
      } else if (config.useLatestVersion()) {
        final RegisteredSchema latest = latestBySubject.computeIfAbsent(subject, client::getLatest);
        id = latest.id();
        if (!latest.schema().equals(schema)) {
          writeSchema = latest.schema();
          toWrite = convert(data, schema, writeSchema, topic, what, subject);
        }
      } else {
        id = client.getId(subject, schema);
      }
    } catch (SchemaRegistryException e) {
      throw new AvroSerdeException(Problem.REGISTRY_ERROR, topic, "Error serializing Avro " + what + ": cannot "
          + (config.autoRegister() ? "register" : config.useLatestVersion() ? "fetch the latest" : "look up")
          + " schema " + schema.getFullName() + " under subject '" + subject + "': " + e.getMessage(), e);
    }
    final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    WireFormat.writeHeader(out, id);
    write(toWrite, writeSchema, out, topic, what);
    return out.toByteArray();
  }

  private void write(final Object data, final Schema schema, final ByteArrayOutputStream out, final String topic,
      final String what) {
    try {
      final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODERS.get());
      ENCODERS.set(encoder);
      writerFor(data, schema).write(data instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : data, encoder);
      encoder.flush();
    } catch (UnresolvedUnionException e) {
      // Avro's message carries the offending value, which may be PII; name only its type and the union.
      final Object datum = e.getUnresolvedDatum();
      throw new AvroSerdeException(Problem.INVALID_RECORD, topic, "Error serializing Avro " + what + " with schema "
          + schema.getFullName() + ": a value of type " + (datum == null ? "null" : datum.getClass().getName())
          + " matches no branch of union " + e.getUnionSchema());
    } catch (AvroRuntimeException e) {
      // Messages such as "Not an array: <value>" or "Unknown datum type X: <value>" echo record values, which may
      // be PII: keep the kind of failure, withhold the message and the cause.
      final String message = String.valueOf(e.getMessage());
      final int colon = message.indexOf(':');
      throw new AvroSerdeException(Problem.INVALID_RECORD, topic, "Error serializing Avro " + what + " with schema "
          + schema.getFullName() + ": " + e.getClass().getSimpleName() + " '"
          + (colon < 0 ? "record does not match its schema" : message.substring(0, colon))
          + "' (value withheld: it may contain personal data)");
    } catch (IOException | ClassCastException | NullPointerException e) {
      // These name fields and classes, never values.
      throw new AvroSerdeException(Problem.INVALID_RECORD, topic, "Error serializing Avro " + what + " with schema "
          + schema.getFullName() + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private DatumWriter<Object> writerFor(final Object data, final Schema schema) {
    if (data instanceof SpecificRecord && ((SpecificRecord) data).getSchema() == schema) {
      final Class<?> type = data.getClass();
      return writers.computeIfAbsent(type, cls -> (DatumWriter<Object>) (DatumWriter<?>)
          new SpecificDatumWriter<Object>(schema, SpecificData.getForClass(type)));
    }
    return writers.computeIfAbsent(schema, s -> new GenericDatumWriter<Object>(schema, GenericData.get()));
  }

  /** Re-reads the record through Avro schema resolution so it matches the target schema field by field name. */
  private Object convert(final Object data, final Schema own, final Schema target, final String topic,
      final String what, final String subject) {
    final ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
    write(data, own, buffer, topic, what);
    try {
      final GenericDatumReader<Object> reader = new GenericDatumReader<>(own, target, GenericData.get());
      final byte[] bytes = buffer.toByteArray();
      return reader.read(null, new BoundedBinaryDecoder(bytes, 0, bytes.length));
    } catch (IOException | AvroRuntimeException e) {
      throw new AvroSerdeException(Problem.INVALID_RECORD, topic, "Error serializing Avro " + what
          + ": the record's schema "
          + own.getFullName() + " cannot be converted to the latest schema of subject '" + subject + "': "
          + e.getMessage(), e);
    }
  }

  private static Schema schemaOf(final Object data, final String topic, final String what) {
    if (data instanceof GenericContainer container) {
      return container.getSchema();
    }
    final Schema.Type type;
    if (data instanceof CharSequence) {
      type = Schema.Type.STRING;
    } else if (data instanceof Integer) {
      type = Schema.Type.INT;
    } else if (data instanceof Long) {
      type = Schema.Type.LONG;
    } else if (data instanceof Double) {
      type = Schema.Type.DOUBLE;
    } else if (data instanceof Float) {
      type = Schema.Type.FLOAT;
    } else if (data instanceof Boolean) {
      type = Schema.Type.BOOLEAN;
    } else if (data instanceof byte[] || data instanceof ByteBuffer) {
      type = Schema.Type.BYTES;
    } else {
      throw new AvroSerdeException(Problem.INVALID_RECORD, topic, "Error serializing Avro " + what
          + ": unsupported type "
          + data.getClass().getName() + "; expected an Avro record, enum, fixed or primitive");
    }
    return Schema.create(type);
  }

  @Override
  public void close() {
    // The registry client may be shared (mock scopes, injected clients); its owner closes it.
  }
}
