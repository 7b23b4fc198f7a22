package io.driftguard.scoring;

import io.driftguard.avro.Alert;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.features.FeatureSet;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.deadletter.ReasonCode;
import io.driftguard.platform.topics.TopicSpecs;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.LongSupplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoring topology (Processor API).
 *
 * <table>
 *   <caption>Topics</caption>
 *   <tr><th>topic</th><th>key</th><th>value</th></tr>
 *   <tr><td>events (in)</td><td>entity id, UTF-8 string</td><td>producer Avro record (Confluent wire format), read as
 *       GenericRecord with the feature set's schema as reader schema</td></tr>
 *   <tr><td>features (in)</td><td>entity id, string</td><td>{@code FeatureVector} (Avro, registry serde); record
 *       timestamp = the causing event's time</td></tr>
 *   <tr><td>model-control (in, global)</td><td>model name, string</td><td>{@code ModelCommand} (Avro, registry
 *       serde)</td></tr>
 *   <tr><td>predictions (out)</td><td>entity id, string</td><td>{@code Prediction} of the champion or canary arm;
 *       record timestamp = event record timestamp</td></tr>
 *   <tr><td>predictions-shadow (out)</td><td>entity id, string</td><td>{@code Prediction} of the shadow arm</td></tr>
 *   <tr><td>alerts (out)</td><td>{@code model-control/<model>}</td><td>{@code Alert}: AUDIT for every applied
 *       command, FIRING for every refused one</td></tr>
 *   <tr><td>dead-letters (out)</td><td>original key bytes</td><td>{@code DeadLetter}, stage {@code deserialize},
 *       {@code validate} or {@code score}</td></tr>
 * </table>
 *
 * <p>Stores: {@value #FEATURES_STORE} (versioned RocksDB, entity id to FeatureVector by the vector's event time,
 * history = {@link ScoringConfig#featureHistory()}; change-logged), {@value #ROLLOUT_STORE} (per task, model name to
 * the {@link RolloutState} it applied; change-logged) and the global {@value #CONTROL_STORE} (the model-control log,
 * rebuilt from the topic by re-running {@link ControlLog.Writer} on restore).
 *
 * <p>Point-in-time rule: an event at {@code t} is scored with the entity's vector as of {@code t - 1 ms}, i.e. from
 * events strictly before it, with the event's own fields passed beside the vector. The vector the event itself
 * causes (stamped {@code t}) is never used, whatever the arrival order. {@code max.task.idle.ms} (see
 * {@link #streamsOverrides}) makes a task wait for features to catch up before scoring.
 *
 * <p>Every event ends in exactly one place: one prediction (plus a shadow prediction when a shadow is set), or one
 * dead letter.
 */
public final class ScoringTopology {
  public static final String EVENTS_SOURCE = "scoring-events-source";
  public static final String FEATURES_SOURCE = "scoring-features-source";
  public static final String CONTROL_SOURCE = "scoring-model-control-source";
  public static final String FEATURES_WRITER = "scoring-features-store-writer";
  public static final String CONTROL_WRITER = "scoring-model-control-log-writer";
  public static final String SCORER = "scoring-score-events";
  public static final String PREDICTIONS_SINK = "scoring-predictions-sink";
  public static final String SHADOW_SINK = "scoring-predictions-shadow-sink";
  public static final String ALERTS_SINK = "scoring-alerts-sink";
  public static final String DEAD_LETTERS_SINK = "scoring-dead-letters-sink";
  public static final String FEATURES_STORE = "scoring-features-versioned-store";
  public static final String ROLLOUT_STORE = "scoring-rollout-state-store";
  public static final String CONTROL_STORE = "scoring-model-control-log-store";

  static final String STAGE_SCORE = "score";
  private static final Logger LOG = LoggerFactory.getLogger(ScoringTopology.class);

  private ScoringTopology() {
  }

  /** Everything the topology needs besides config; built once per app. */
  public record Dependencies(FeatureSet featureSet, TopicSpecs topics, Deserializer<GenericRecord> events,
      ModelCatalog catalog, ScoringMetrics metrics, DeadLetters deadLetters, LiveRollout live, Clock clock,
      LongSupplier nanoTime) {
    public Dependencies {
      Objects.requireNonNull(featureSet, "featureSet");
      Objects.requireNonNull(topics, "topics");
      Objects.requireNonNull(events, "events");
      Objects.requireNonNull(catalog, "catalog");
      Objects.requireNonNull(metrics, "metrics");
      Objects.requireNonNull(deadLetters, "deadLetters");
      Objects.requireNonNull(live, "live");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(nanoTime, "nanoTime");
    }
  }

  /** Streams settings this topology relies on: {@code max.task.idle.ms} from the scoring config. */
  public static Map<String, Object> streamsOverrides(final ScoringConfig config) {
    // A task only runs while both its events and features partitions have buffered records (or idling ends), so a
    // poll must bring enough of both: Streams' default of 1000 records per poll, spread over every partition of
    // the thread, leaves tasks waiting on fetches most of the time.
    return Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, config.maxTaskIdle().toMillis(),
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 10_000);
  }

  /** Adds {@link #streamsOverrides} to {@code props}. */
  public static Properties withOverrides(final Properties props, final ScoringConfig config) {
    props.putAll(streamsOverrides(config));
    return props;
  }

  public static Topology build(final ScoringConfig config, final Dependencies deps) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(deps, "deps");
    if (!config.modelName().equals(deps.catalog().modelName())) {
      throw new IllegalArgumentException("catalog serves model '" + deps.catalog().modelName()
          + "' but scoring.modelName is '" + config.modelName() + "'");
    }
    final TopicSpecs t = deps.topics();
    final Topology topology = new Topology();
    topology.addSource(EVENTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), t.events().name());
    topology.addSource(FEATURES_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
        t.features().name());
    topology.addProcessor(FEATURES_WRITER, () -> new FeatureWriter(t.features().name(),
        t.features().valueSerde().deserializer(), deps.deadLetters()), FEATURES_SOURCE);
    topology.addProcessor(SCORER, () -> new ScoreProcessor(config, deps), EVENTS_SOURCE);
    topology.addStateStore(Stores.versionedKeyValueStoreBuilder(
        Stores.persistentVersionedKeyValueStore(FEATURES_STORE, config.featureHistory()), Serdes.String(),
        AvroBinary.serde(FeatureVector.class, FeatureVector.getClassSchema())), FEATURES_WRITER, SCORER);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(ROLLOUT_STORE), Serdes.String(), Serdes.ByteArray()), SCORER);
    topology.addGlobalStore(Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(CONTROL_STORE), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
        CONTROL_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), t.modelControl().name(),
        CONTROL_WRITER, () -> new ControlLog.Writer(CONTROL_STORE));
    topology.addSink(PREDICTIONS_SINK, t.predictions().name(), new StringSerializer(),
        t.predictions().valueSerde().serializer(), SCORER);
    topology.addSink(SHADOW_SINK, t.predictionsShadow().name(), new StringSerializer(),
        t.predictionsShadow().valueSerde().serializer(), SCORER);
    topology.addSink(ALERTS_SINK, t.alerts().name(), new StringSerializer(), t.alerts().valueSerde().serializer(),
        SCORER);
    topology.addSink(DEAD_LETTERS_SINK, t.deadLetters().name(), new ByteArraySerializer(),
        t.deadLetters().valueSerde().serializer(), SCORER, FEATURES_WRITER);
    return topology;
  }

  /** Puts each vector into the versioned store at its record timestamp (its event time). */
  private static final class FeatureWriter implements Processor<byte[], byte[], byte[], DeadLetter> {
    private final String topic;
    private final Deserializer<FeatureVector> vectors;
    private final DeadLetters deadLetters;
    private ProcessorContext<byte[], DeadLetter> context;
    private VersionedKeyValueStore<String, FeatureVector> store;

    FeatureWriter(final String topic, final Deserializer<FeatureVector> vectors, final DeadLetters deadLetters) {
      this.topic = topic;
      this.vectors = vectors;
      this.deadLetters = deadLetters;
    }

    @Override
    public void init(final ProcessorContext<byte[], DeadLetter> context) {
      this.context = context;
      this.store = context.getStateStore(FEATURES_STORE);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
      final RecordMetadata meta = context.recordMetadata().orElseThrow();
      if (record.key() == null) {
        deadLetter(record, meta, ReasonCode.NULL_KEY, EventContract.STAGE_VALIDATE,
            "feature vector without a key; the key must be the entity id");
        return;
      }
      final FeatureVector vector;
      try {
        vector = vectors.deserialize(topic, record.value());
      } catch (RuntimeException e) {
        final ReasonCode code = EventContract.classify(record.value(), e);
        if (code == null) {
          throw e;
        }
        deadLetter(record, meta, code, EventContract.STAGE_DESERIALIZE, EventContract.describe(code, e).getValue());
        return;
      }
      if (vector == null) {
        deadLetter(record, meta, ReasonCode.EMPTY_VALUE, EventContract.STAGE_DESERIALIZE,
            "feature vector record has no value");
        return;
      }
      store.put(new String(record.key(), StandardCharsets.UTF_8), vector, record.timestamp());
    }

    private void deadLetter(final Record<byte[], byte[]> record, final RecordMetadata meta, final ReasonCode code,
        final String stage, final String reason) {
      final DeadLetter letter = deadLetters.deadLetter(stage, code, reason, meta.topic(), meta.partition(),
          meta.offset(), record.timestamp(), record.key(), record.value());
      context.forward(new Record<>(record.key(), letter, record.timestamp()), DEAD_LETTERS_SINK);
    }
  }

  /** Validates, applies pending model-control commands, looks up the vector as of t - 1 and scores. */
  private static final class ScoreProcessor implements Processor<byte[], byte[], Object, Object> {
    private final ScoringConfig config;
    private final Dependencies deps;
    private final EventContract contract;
    private final Deserializer<ModelCommand> commands;
    private ProcessorContext<Object, Object> context;
    private VersionedKeyValueStore<String, FeatureVector> features;
    private KeyValueStore<String, byte[]> rollouts;
    private ReadOnlyKeyValueStore<String, byte[]> controlLog;
    private Scorer scorer;
    private RolloutController controller;
    private RolloutState state;

    ScoreProcessor(final ScoringConfig config, final Dependencies deps) {
      this.config = config;
      this.deps = deps;
      this.contract = new EventContract(deps.featureSet());
      this.commands = deps.topics().modelControl().valueSerde().deserializer();
    }

    @Override
    public void init(final ProcessorContext<Object, Object> context) {
      this.context = context;
      this.features = context.getStateStore(FEATURES_STORE);
      this.rollouts = context.getStateStore(ROLLOUT_STORE);
      this.controlLog = context.getStateStore(CONTROL_STORE);
      this.scorer = new Scorer(config.modelName(), Scorer.catalogLoader(deps.catalog(), deps.featureSet()), config,
          deps.metrics(), deps.clock(), deps.nanoTime());
      this.controller = new RolloutController(config.modelName(), deps.topics().modelControl().name(), commands,
          scorer, deps.metrics(), deps.clock());
      final byte[] saved = rollouts.get(config.modelName());
      this.state = saved == null ? deps.catalog().initialState() : RolloutState.fromBytes(saved);
      deps.live().offer(state);
      deps.metrics().activeVersion("CHAMPION", state.champion());
      deps.metrics().activeVersion("CANARY", state.canary());
      deps.metrics().activeVersion("SHADOW", state.shadow());
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
      final RecordMetadata meta = context.recordMetadata().orElseThrow();
      final String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      if (record.value() == null || record.value().length == 0) {
        deadLetter(record, meta, ReasonCode.EMPTY_VALUE, EventContract.STAGE_DESERIALIZE, "event has no value");
        return;
      }
      final GenericRecord event;
      try {
        event = deps.events().deserialize(meta.topic(), record.value());
      } catch (RuntimeException e) {
        final ReasonCode code = EventContract.classify(record.value(), e);
        if (code == null) {
          throw e;
        }
        deadLetter(record, meta, code, EventContract.STAGE_DESERIALIZE, EventContract.describe(code, e).getValue());
        return;
      }
      final EventContract.Violation violation = contract.check(key, event, deps.clock().millis());
      if (violation != null) {
        deadLetter(record, meta, violation.code(), violation.stage(), violation.message());
        return;
      }
      applyCommands(meta, record.timestamp());
      final EventContract.Identity id =
          contract.identity(event, meta.topic() + "-" + meta.partition() + "@" + meta.offset());
      final Scorer.Scored scored;
      try {
        final VersionedRecord<FeatureVector> before = features.get(id.entityId(), id.eventTimeMs() - 1);
        scored = scorer.score(new Scorer.Event(event, id.eventId(), id.entityId(), id.eventTimeMs()),
            before == null ? null : before.value(), state);
      } catch (RuntimeException e) {
        LOG.error("scoring event {} at {}-{}@{} failed unexpectedly", id.eventId(), meta.topic(), meta.partition(),
            meta.offset(), e);
        deadLetter(record, meta, ReasonCode.PROCESSING_ERROR, STAGE_SCORE,
            "scoring failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        return;
      }
      context.forward(new Record<>(id.entityId(), scored.primary(), record.timestamp()), PREDICTIONS_SINK);
      if (scored.shadow() != null) {
        context.forward(new Record<>(id.entityId(), scored.shadow(), record.timestamp()), SHADOW_SINK);
      }
    }

    private void applyCommands(final RecordMetadata meta, final long timestamp) {
      final List<ControlLog.Entry> pending = ControlLog.after(controlLog, config.modelName(), state.appliedOffset());
      if (pending.isEmpty()) {
        return;
      }
      state = controller.apply(state, pending,
          new RolloutController.EffectivePoint(meta.topic(), meta.partition(), meta.offset()),
          alert -> context.forward(new Record<>(RolloutController.MONITOR + "/" + config.modelName(), alert,
              timestamp), ALERTS_SINK));
      rollouts.put(config.modelName(), state.toBytes());
      deps.live().offer(state);
    }

    private void deadLetter(final Record<byte[], byte[]> record, final RecordMetadata meta, final ReasonCode code,
        final String stage, final String reason) {
      final DeadLetter letter = deps.deadLetters().deadLetter(stage, code, reason, meta.topic(), meta.partition(),
          meta.offset(), record.timestamp(), record.key(), record.value());
      context.forward(new Record<>(record.key(), letter, record.timestamp()), DEAD_LETTERS_SINK);
    }

    @Override
    public void close() {
      if (scorer != null) {
        scorer.close();
      }
    }
  }
}
