package io.driftguard.features;

import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.SchemaRegistryException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feature topology (Processor API).
 *
 * <table>
 *   <caption>Topics</caption>
 *   <tr><th>topic</th><th>key</th><th>value</th></tr>
 *   <tr><td>events (in)</td><td>entity id, UTF-8 string</td><td>producer Avro record, Confluent wire format, read as
 *       GenericRecord with the feature set's schema as reader schema</td></tr>
 *   <tr><td>features (out)</td><td>entity id, string</td><td>{@code FeatureVector} (Avro, registry serde); record
 *       timestamp = event time</td></tr>
 *   <tr><td>dead-letters (out)</td><td>original key bytes</td><td>{@code DeadLetter} (Avro, registry serde) with stage
 *       {@code deserialize}, {@code validate} or {@code feature}</td></tr>
 * </table>
 *
 * <p>Stores (persistent RocksDB, change-logged): {@value #ENTITY_STORE} (entity id to the engine's binary entity state,
 * rows bounded by retention) and {@value #STREAM_TIME_STORE} (partition to stream time, so LATE decisions survive a
 * restart). A stream-time punctuator deletes entities idle longer than the feature set's idle TTL; the engine applies
 * the same rule when it reads, so the sweep never changes a vector and replay stays identical.
 *
 * <p>Meters: {@code feature.vectors.emitted}, {@code feature.freshness.lag} (emit wall clock minus event time, p50/p95/p99
 * and histogram), {@code feature.sla.breached.entities{feature}} (a wall-clock punctuator every
 * {@code slaCheckInterval}), {@code feature.entities.expired}, {@code feature.state.incompatible}.
 *
 * <p>Every record ends in exactly one place: a vector on features, or a dead letter (counted in
 * {@code driftguard.dead.letters}). A registry outage while deserializing is rethrown: the record may be fine and must
 * be retried, not dead-lettered.
 */
public final class FeatureTopology {
  public static final String SOURCE = "feature-events-source";
  public static final String PROCESSOR = "feature-compute";
  public static final String FEATURES_SINK = "feature-vectors-sink";
  public static final String DEAD_LETTERS_SINK = "feature-dead-letters-sink";
  public static final String ENTITY_STORE = "feature-entity-state-store";
  public static final String STREAM_TIME_STORE = "feature-stream-time-store";

  static final String STAGE_DESERIALIZE = "deserialize";
  static final String STAGE_VALIDATE = "validate";
  static final String STAGE_FEATURE = "feature";
  private static final int WIRE_HEADER_BYTES = 5;

  private static final Logger LOG = LoggerFactory.getLogger(FeatureTopology.class);

  private FeatureTopology() {}

  /**
   * Builds the topology.
   *
   * @param config feature set and topic names
   * @param eventSerde value serde of the events topic (only its deserializer is used)
   * @param vectorSerde value serde of the features topic (only its serializer is used)
   * @param deadLetterSerde value serde of the dead-letters topic (only its serializer is used)
   * @param meters where the topology's meters are registered
   */
  public static Topology build(final FeatureTopologyConfig config, final Serde<GenericRecord> eventSerde,
      final Serde<FeatureVector> vectorSerde, final Serde<DeadLetter> deadLetterSerde, final MeterRegistry meters) {
    Objects.requireNonNull(config, "config");
    final Deserializer<GenericRecord> events = Objects.requireNonNull(eventSerde, "eventSerde").deserializer();
    final Serializer<FeatureVector> vectors = Objects.requireNonNull(vectorSerde, "vectorSerde").serializer();
    final Serializer<DeadLetter> deadLetters =
        Objects.requireNonNull(deadLetterSerde, "deadLetterSerde").serializer();
    final FeatureMetrics metrics = new FeatureMetrics(config.featureSet());
    metrics.bindTo(Objects.requireNonNull(meters, "meters"));
    final FeatureEngine engine = new FeatureEngine(config.featureSet());

    final Topology topology = new Topology();
    topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.eventsTopic());
    topology.addProcessor(PROCESSOR, () -> new FeatureProcessor(engine, events, metrics, config), SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(ENTITY_STORE), Serdes.String(), Serdes.ByteArray()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(STREAM_TIME_STORE), Serdes.Integer(), Serdes.Long()), PROCESSOR);
    topology.addSink(FEATURES_SINK, config.featuresTopic(), new StringSerializer(), vectors, PROCESSOR);
    topology.addSink(DEAD_LETTERS_SINK, config.deadLettersTopic(), new ByteArraySerializer(), deadLetters, PROCESSOR);
    return topology;
  }

  /** Builds the topology from the platform's typed topic handles (their value serdes are the registry serdes). */
  public static Topology build(final FeatureSet featureSet, final TopicSpecs topics, final MeterRegistry meters) {
    return build(new FeatureTopologyConfig(featureSet, topics.events().name(), topics.features().name(),
            topics.deadLetters().name(), null, null),
        topics.events().valueSerde(), topics.features().valueSerde(), topics.deadLetters().valueSerde(), meters);
  }

  /** Deserializes, validates and computes; one instance per task. */
  private static final class FeatureProcessor implements Processor<byte[], byte[], Object, Object> {
    private final FeatureEngine engine;
    private final Deserializer<GenericRecord> deserializer;
    private final FeatureMetrics metrics;
    private final FeatureTopologyConfig config;
    private final EntityStateCodec codec;
    private final long[] slaMs;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> entities;
    private KeyValueStore<Integer, Long> streamTimes;
    private int partition;
    private long streamTime = Long.MIN_VALUE;

    FeatureProcessor(final FeatureEngine engine, final Deserializer<GenericRecord> deserializer,
        final FeatureMetrics metrics, final FeatureTopologyConfig config) {
      this.engine = engine;
      this.deserializer = deserializer;
      this.metrics = metrics;
      this.config = config;
      this.codec = new EntityStateCodec(engine.featureSet());
      this.slaMs = engine.featureSet().features().stream().mapToLong(f -> f.freshnessSla().toMillis()).toArray();
    }

    @Override
    public void init(final ProcessorContext<Object, Object> context) {
      this.context = context;
      this.entities = context.getStateStore(ENTITY_STORE);
      this.streamTimes = context.getStateStore(STREAM_TIME_STORE);
      this.partition = context.taskId().partition();
      final Long stored = streamTimes.get(partition);
      this.streamTime = stored == null ? Long.MIN_VALUE : stored;
      context.schedule(config.expiryInterval(), PunctuationType.STREAM_TIME, ignored -> expireIdleEntities());
      context.schedule(config.slaCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::countSlaBreaches);
    }

    @Override
    public void close() {
      metrics.forgetPartition(partition);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
      final String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(config.eventsTopic());
      final byte[] bytes = record.value();
      if (bytes == null || bytes.length == 0) {
        deadLetter(record, STAGE_DESERIALIZE, ReasonCode.EMPTY_VALUE, "record value is null or empty");
        return;
      }
      // Same codes as the platform's deserialization handler, decided on the raw bytes first.
      if (bytes[0] != 0) {
        deadLetter(record, STAGE_DESERIALIZE, ReasonCode.WRONG_MAGIC_BYTE, String.format(
            "first byte is 0x%02x, not the wire-format magic byte 0x00", bytes[0] & 0xff));
        return;
      }
      if (bytes.length < WIRE_HEADER_BYTES) {
        deadLetter(record, STAGE_DESERIALIZE, ReasonCode.TRUNCATED,
            bytes.length + " bytes, shorter than the " + WIRE_HEADER_BYTES + "-byte wire-format header");
        return;
      }
      final GenericRecord event;
      try {
        event = deserializer.deserialize(topic, record.headers(), bytes);
      } catch (final RuntimeException e) {
        final SchemaRegistryException registry = registryCause(e);
        if (registry != null && !registry.isNotFound()) {
          throw e;
        }
        deadLetter(record, STAGE_DESERIALIZE,
            registry != null ? ReasonCode.UNKNOWN_SCHEMA_ID : ReasonCode.MALFORMED_BYTES,
            e.getClass().getSimpleName() + ": " + e.getMessage());
        return;
      }
      final long now = context.currentSystemTimeMs();
      final Verdict verdict = engine.validate(event, now);
      if (!verdict.valid()) {
        deadLetter(record, STAGE_VALIDATE, verdict.reasonCode(), verdict.message());
        return;
      }
      final String entityId = engine.entityId(event);
      final String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      if (!entityId.equals(key)) {
        deadLetter(record, STAGE_VALIDATE, ReasonCode.KEY_MISMATCH, "record key "
            + (key == null ? "is null" : "differs from") + " entity key field '"
            + engine.featureSet().entityKeyField() + "'");
        return;
      }
      final FeatureEngine.Outcome outcome = engine.apply(event, new StoreAccess(), now);
      if (outcome instanceof FeatureEngine.Emitted emitted) {
        final FeatureVector vector = emitted.vector();
        context.forward(new Record<Object, Object>(emitted.entityId(), vector, vector.getEventTime().toEpochMilli()),
            FEATURES_SINK);
        metrics.vectorEmitted(context.currentSystemTimeMs() - vector.getEventTime().toEpochMilli());
      } else if (outcome instanceof FeatureEngine.Rejected rejected) {
        deadLetter(record, STAGE_FEATURE, rejected.verdict().reasonCode(), rejected.verdict().message());
      }
    }

    private static SchemaRegistryException registryCause(final Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SchemaRegistryException r) {
          return r;
        }
      }
      return null;
    }

    private void deadLetter(final Record<byte[], byte[]> record, final String stage, final ReasonCode code,
        final String reason) {
      final RecordMetadata meta = context.recordMetadata().orElse(null);
      final DeadLetter letter = DeadLetter.newBuilder()
          .setApp(context.applicationId())
          .setStage(stage)
          .setReasonCode(code.name())
          .setReason(reason)
          .setTopic(meta == null ? config.eventsTopic() : meta.topic())
          .setPartition(meta == null ? -1 : meta.partition())
          .setOffset(meta == null ? -1 : meta.offset())
          .setRecordTimestamp(record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp()))
          .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
          .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
          .setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
          .build();
      metrics.deadLetter(stage, code);
      // Where and why only: the reason never carries PII values, the record content is not logged.
      LOG.warn("dead letter: stage={} reason={} source={}-{}@{}: {}", stage, code, letter.getTopic(),
          letter.getPartition(), letter.getOffset(), reason);
      context.forward(new Record<Object, Object>(record.key(), letter, record.timestamp()), DEAD_LETTERS_SINK);
    }

    private void expireIdleEntities() {
      if (streamTime == Long.MIN_VALUE) {
        return;
      }
      try (KeyValueIterator<String, byte[]> it = entities.all()) {
        while (it.hasNext()) {
          final KeyValue<String, byte[]> entry = it.next();
          boolean drop;
          try {
            drop = engine.expired(codec.newestEventTime(entry.value), streamTime);
          } catch (final EntityStateCodec.IncompatibleStateException e) {
            drop = true;
          }
          if (drop) {
            entities.delete(entry.key);
            metrics.entityExpired();
          }
        }
      }
    }

    /**
     * The vector served for an entity was computed at its newest event, so feature f of that entity is stale when the
     * wall clock is more than f's SLA past that event time. Forgotten (idle-expired) entities are not counted.
     */
    private void countSlaBreaches(final long wallClockMs) {
      final long[] counts = new long[slaMs.length];
      try (KeyValueIterator<String, byte[]> it = entities.all()) {
        while (it.hasNext()) {
          final long newest;
          try {
            newest = codec.newestEventTime(it.next().value);
          } catch (final EntityStateCodec.IncompatibleStateException e) {
            continue;
          }
          if (streamTime != Long.MIN_VALUE && engine.expired(newest, streamTime)) {
            continue;
          }
          for (int i = 0; i < slaMs.length; i++) {
            if (wallClockMs - newest > slaMs[i]) {
              counts[i]++;
            }
          }
        }
      }
      metrics.slaBreaches(partition, counts);
    }

    /** The engine's view of this task's stores. */
    private final class StoreAccess implements StateAccess {
      @Override
      public EntityState get(final String entityId) {
        final byte[] bytes = entities.get(entityId);
        if (bytes == null) {
          return null;
        }
        try {
          return codec.decode(bytes);
        } catch (final EntityStateCodec.IncompatibleStateException e) {
          LOG.warn("dropping stored state of entity {}: {}", entityId, e.getMessage());
          metrics.incompatibleState();
          return null;
        }
      }

      @Override
      public void put(final String entityId, final EntityState state) {
        entities.put(entityId, codec.encode(state));
      }

      @Override
      public long streamTime(final String entityId) {
        return streamTime;
      }

      @Override
      public void advanceStreamTime(final String entityId, final long time) {
        if (time != streamTime) {
          streamTime = time;
          streamTimes.put(partition, time);
        }
      }
    }
  }
}
