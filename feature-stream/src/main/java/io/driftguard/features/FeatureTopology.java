package io.driftguard.features;

import io.driftguard.platform.deadletter.ReasonCode;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.metrics.PlatformMetrics;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.SchemaRegistryException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
import org.apache.kafka.streams.state.VersionedKeyValueStore;
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
 * <p>Stores (persistent RocksDB, change-logged): {@value #ENTITY_STORE} (cached; entity id to the engine's binary entity
 * state, rows bounded by retention), {@value #STREAM_TIME_STORE} (cached; partition to stream time, so LATE decisions
 * survive a restart) and, only when {@link FeatureTopologyConfig#history()} is on, {@value #HISTORY_STORE} (versioned:
 * entity id to every emitted vector at its event time, Avro single-object encoding, history kept for the feature set's
 * retention, for {@code ?asOf} queries). A stream-time punctuator deletes entities idle longer than the feature set's idle TTL; the engine applies
 * the same rule when it reads, so the sweep never changes a vector and replay stays identical.
 *
 * <p>Meters ({@link FeatureMetrics}): {@code driftguard.feature.vectors.emitted}, {@code driftguard.feature.freshness.lag}
 * (emit wall clock minus event time, p50/p95/p99 and histogram), {@code driftguard.feature.sla.breached.entities{feature}}
 * (a wall-clock punctuator every {@code slaCheckInterval}, by the read-time rule of {@link Freshness}),
 * {@code driftguard.feature.entities.expired}, {@code driftguard.feature.state.incompatible}.
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
  public static final String HISTORY_STORE = "feature-vector-history-store";

  static final String STAGE_DESERIALIZE = "deserialize";
  static final String STAGE_VALIDATE = "validate";
  static final String STAGE_FEATURE = "feature";
  private static final int WIRE_HEADER_BYTES = 5;

  private static final Logger LOG = LoggerFactory.getLogger(FeatureTopology.class);

  private FeatureTopology() {}

  /**
   * Builds the topology. Dead letters are built, counted ({@code driftguard.dead.letters}) and logged by a
   * {@link DeadLetters} of the running app id, writing to {@code config.deadLettersTopic()} and counting in
   * {@code meters}.
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
    Objects.requireNonNull(deadLetterSerde, "deadLetterSerde");
    final PlatformMetrics platform = PlatformMetrics.boundTo(Objects.requireNonNull(meters, "meters"));
    return build(config, eventSerde, vectorSerde, deadLetterSerde,
        appId -> new DeadLetters(appId, config.deadLettersTopic(), deadLetterSerde.serializer(), platform,
            Clock.systemUTC()),
        meters);
  }

  /**
   * Builds the topology with the app's own {@link DeadLetters} (its counter, clock and app id).
   *
   * @param deadLetters builds, counts and logs every dead letter; its topic must be {@code config.deadLettersTopic()}
   */
  public static Topology build(final FeatureTopologyConfig config, final Serde<GenericRecord> eventSerde,
      final Serde<FeatureVector> vectorSerde, final Serde<DeadLetter> deadLetterSerde, final DeadLetters deadLetters,
      final MeterRegistry meters) {
    Objects.requireNonNull(deadLetters, "deadLetters");
    if (!deadLetters.topic().equals(Objects.requireNonNull(config, "config").deadLettersTopic())) {
      throw new IllegalArgumentException("DeadLetters writes to '" + deadLetters.topic()
          + "' but the topology's dead-letters topic is '" + config.deadLettersTopic() + "'");
    }
    return build(config, eventSerde, vectorSerde, deadLetterSerde, appId -> deadLetters, meters);
  }

  private static Topology build(final FeatureTopologyConfig config, final Serde<GenericRecord> eventSerde,
      final Serde<FeatureVector> vectorSerde, final Serde<DeadLetter> deadLetterSerde,
      final Function<String, DeadLetters> deadLettersForApp, final MeterRegistry meters) {
    final Deserializer<GenericRecord> events = Objects.requireNonNull(eventSerde, "eventSerde").deserializer();
    final Serializer<FeatureVector> vectors = Objects.requireNonNull(vectorSerde, "vectorSerde").serializer();
    final Serializer<DeadLetter> deadLetterValues =
        Objects.requireNonNull(deadLetterSerde, "deadLetterSerde").serializer();
    final FeatureMetrics metrics = new FeatureMetrics(config.featureSet());
    metrics.bindTo(Objects.requireNonNull(meters, "meters"));
    final FeatureEngine engine = new FeatureEngine(config.featureSet());
    // One DeadLetters per app id, shared by the tasks (it is stateless apart from its counter).
    final Map<String, DeadLetters> byApp = new ConcurrentHashMap<>();

    final Topology topology = new Topology();
    topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.eventsTopic());
    topology.addProcessor(PROCESSOR, () -> new FeatureProcessor(engine, events, metrics, config,
        appId -> byApp.computeIfAbsent(appId, deadLettersForApp)), SOURCE);
    // Both stores are written on every event. The record cache (statestore.cache.max.bytes) absorbs repeated writes
    // of a key between commits: the stream-time row is rewritten by nearly every event, an active entity by each of
    // its events. The cache is flushed before each commit, so the changelog stays exactly-once.
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(ENTITY_STORE), Serdes.String(), Serdes.ByteArray()).withCachingEnabled(),
        PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(STREAM_TIME_STORE), Serdes.Integer(), Serdes.Long()).withCachingEnabled(),
        PROCESSOR);
    if (config.history()) {
      // Versioned stores have no record cache: this is one RocksDB read, one or two writes and one changelog record per
      // event, which is why it can be switched off.
      topology.addStateStore(Stores.versionedKeyValueStoreBuilder(
          Stores.persistentVersionedKeyValueStore(HISTORY_STORE, historyRetention(config.featureSet())),
          Serdes.String(), Serdes.ByteArray()), PROCESSOR);
    }
    topology.addSink(FEATURES_SINK, config.featuresTopic(), new StringSerializer(), vectors, PROCESSOR);
    topology.addSink(DEAD_LETTERS_SINK, config.deadLettersTopic(), new ByteArraySerializer(), deadLetterValues,
        PROCESSOR);
    return topology;
  }

  /**
   * How long emitted vectors stay queryable by {@code ?asOf}: the feature set's retention (largest window plus largest
   * grace), at least a minute.
   */
  static Duration historyRetention(final FeatureSet set) {
    final Duration retention = set.retention();
    return retention.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : retention;
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
    private final FeatureDef[] defs;
    private final Function<String, DeadLetters> deadLettersForApp;
    private DeadLetters deadLetters;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> entities;
    private KeyValueStore<Integer, Long> streamTimes;
    private VersionedKeyValueStore<String, byte[]> history;
    private int partition;
    private long streamTime = Long.MIN_VALUE;

    FeatureProcessor(final FeatureEngine engine, final Deserializer<GenericRecord> deserializer,
        final FeatureMetrics metrics, final FeatureTopologyConfig config,
        final Function<String, DeadLetters> deadLettersForApp) {
      this.engine = engine;
      this.deserializer = deserializer;
      this.metrics = metrics;
      this.config = config;
      this.codec = new EntityStateCodec(engine.featureSet());
      this.defs = engine.featureSet().features().toArray(new FeatureDef[0]);
      this.deadLettersForApp = deadLettersForApp;
    }

    @Override
    public void init(final ProcessorContext<Object, Object> context) {
      this.context = context;
      this.deadLetters = deadLettersForApp.apply(context.applicationId());
      this.entities = context.getStateStore(ENTITY_STORE);
      this.streamTimes = context.getStateStore(STREAM_TIME_STORE);
      this.history = config.history() ? context.getStateStore(HISTORY_STORE) : null;
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
        final long eventTime = vector.getEventTime().toEpochMilli();
        if (history != null) {
          history.put(emitted.entityId(), VectorBytes.encode(vector), eventTime);
        }
        context.forward(new Record<Object, Object>(emitted.entityId(), vector, eventTime), FEATURES_SINK);
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
      // DeadLetters counts and logs where and why only; the reason never carries PII values.
      final DeadLetter letter = deadLetters.deadLetter(stage, code, reason,
          meta == null ? config.eventsTopic() : meta.topic(), meta == null ? -1 : meta.partition(),
          meta == null ? -1 : meta.offset(), record.timestamp(), record.key(), record.value());
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
     * Counts, per feature, the entities whose current vector (as of their newest event, what a reader is served)
     * holds a stale value of that feature at wall-clock {@code wallClockMs}, by the read-time rule of
     * {@link Freshness}. Forgotten (idle-expired) entities are not counted.
     */
    private void countSlaBreaches(final long wallClockMs) {
      final long[] counts = new long[defs.length];
      try (KeyValueIterator<String, byte[]> it = entities.all()) {
        while (it.hasNext()) {
          final KeyValue<String, byte[]> entry = it.next();
          final EntityState state;
          try {
            state = codec.decode(entry.value);
          } catch (final EntityStateCodec.IncompatibleStateException e) {
            continue;
          }
          if (streamTime != Long.MIN_VALUE && engine.expired(state.newestEventTime(), streamTime)) {
            continue;
          }
          final List<FeatureValue> values =
              engine.currentVector(entry.key, state, wallClockMs).getFeatures();
          for (int i = 0; i < defs.length; i++) {
            final Instant asOf = values.get(i).getAsOf();
            if (Freshness.of(defs[i], asOf == null ? null : asOf.toEpochMilli(), wallClockMs).stale()) {
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
