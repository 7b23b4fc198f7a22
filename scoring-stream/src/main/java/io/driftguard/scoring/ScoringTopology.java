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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.LongSupplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
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
 * <p>Stores: {@value #FEATURES_STORE} (RocksDB, entity id + the vector's event time to FeatureVector, see
 * {@link FeatureHistory}; history = {@link ScoringConfig#featureHistory()}; change-logged), {@value #ROLLOUT_STORE} (per task, model name to
 * the {@link RolloutState} it applied; change-logged) and the global {@value #CONTROL_STORE} (the model-control log,
 * rebuilt from the topic by re-running {@link ControlLog.Writer} on restore), {@value #PROGRESS_STORE} (per task,
 * the features stream time; change-logged), {@value #PARKED_STORE} (per task, events waiting for features, by
 * offset; change-logged) and {@value #BATCH_STORE} (per task, in memory, change-logged: the events of the current
 * micro-batch, see {@link ScoringConfig#batchSize()}).
 *
 * <p>Point-in-time rule: an event at {@code t} is scored with the entity's vector as of {@code t - 1 ms}, i.e. from
 * events strictly before it, with the event's own fields passed beside the vector. The vector the event itself
 * causes (stamped {@code t}) is never used, whatever the arrival order. The scorer parks an event until the task's
 * features stream time reaches {@code t - 1}, for at most {@link ScoringConfig#maxTaskIdle()}.
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
  public static final String FEATURES_STORE = "scoring-features-history-store";
  public static final String ROLLOUT_STORE = "scoring-rollout-state-store";
  public static final String CONTROL_STORE = "scoring-model-control-log-store";
  public static final String PROGRESS_STORE = "scoring-features-progress-store";
  public static final String PARKED_STORE = "scoring-parked-events-store";
  /**
   * The largest event value the scorer accepts. Every event may be parked or batched in a change-logged store, whose
   * changelog topic keeps the broker's default 1 MB record limit; a larger event would fail the task's changelog write
   * and stop the app, so it is dead-lettered as {@code TOO_LARGE} instead (without its bytes).
   */
  public static final int MAX_EVENT_BYTES = 900 * 1024;
  private static final long LATE_LOG_INTERVAL_MS = 10_000;
  public static final String BATCH_STORE = "scoring-micro-batch-store";
  /** Header of the internal record the feature writer sends the scorer when the features partition moves on. */
  static final String PROGRESS_HEADER = "driftguard.features.progress";
  private static final String PROGRESS_KEY = "features";

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

  /**
   * Streams settings this topology relies on. {@code max.task.idle.ms} is 0: the scorer's own park waits for
   * features, and a positive value would also hold {@code features} records back behind an empty events partition.
   */
  public static Map<String, Object> streamsOverrides(final ScoringConfig config) {
    Objects.requireNonNull(config, "config");
    // A task only runs while both its events and features partitions have buffered records (or idling ends), so a
    // poll must bring enough of both: Streams' default of 1000 records per poll, spread over every partition of
    // the thread, leaves tasks waiting on fetches most of the time.
    return Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L,
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
    final boolean waits = !config.maxTaskIdle().isZero();
    final long historyMs = config.featureHistory().toMillis();
    topology.addProcessor(FEATURES_WRITER, () -> new FeatureWriter(t.features().name(),
        t.features().valueSerde().deserializer(), deps.deadLetters(), waits, historyMs), FEATURES_SOURCE);
    topology.addProcessor(SCORER, () -> new ScoreProcessor(config, deps), EVENTS_SOURCE, FEATURES_WRITER);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FEATURES_STORE),
        Serdes.Bytes(), Serdes.ByteArray()), FEATURES_WRITER, SCORER);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(ROLLOUT_STORE), Serdes.String(), Serdes.ByteArray()), SCORER);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(PROGRESS_STORE), Serdes.String(), Serdes.Long()), FEATURES_WRITER, SCORER);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(PARKED_STORE), Serdes.String(), Serdes.ByteArray()), SCORER);
    // In memory but change-logged: an event waiting in a micro-batch when the task commits is in the same
    // transaction as its input offset, so a crash or a close neither loses nor duplicates it.
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(BATCH_STORE), Serdes.String(), Serdes.ByteArray()), SCORER);
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

  /**
   * Puts each vector into the feature history at its record timestamp (its event time), and keeps the task's
   * features stream time (the newest record timestamp read from its {@code features} partition) in
   * {@value #PROGRESS_STORE}. When that time moves on and the scorer waits for features, it tells the scorer.
   */
  private static final class FeatureWriter implements Processor<byte[], byte[], Object, Object> {
    private final String topic;
    private final Deserializer<FeatureVector> vectors;
    private final DeadLetters deadLetters;
    private final boolean signal;
    private final long historyMs;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<Bytes, byte[]> store;
    private KeyValueStore<String, Long> progress;

    FeatureWriter(final String topic, final Deserializer<FeatureVector> vectors, final DeadLetters deadLetters,
        final boolean signal, final long historyMs) {
      this.topic = topic;
      this.vectors = vectors;
      this.deadLetters = deadLetters;
      this.signal = signal;
      this.historyMs = historyMs;
    }

    @Override
    public void init(final ProcessorContext<Object, Object> context) {
      this.context = context;
      this.store = context.getStateStore(FEATURES_STORE);
      this.progress = context.getStateStore(PROGRESS_STORE);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
      final Long before = progress.get(PROGRESS_KEY);
      final long streamTime = before == null ? record.timestamp() : Math.max(before, record.timestamp());
      write(record, streamTime);
      // Stream time of the partition moves with every record, stored or dead-lettered: the partition is past it.
      if (before == null || record.timestamp() > before) {
        progress.put(PROGRESS_KEY, record.timestamp());
        if (signal) {
          final Headers headers = new RecordHeaders().add(PROGRESS_HEADER, new byte[0]);
          context.forward(new Record<Object, Object>(null, null, record.timestamp(), headers), SCORER);
        }
      }
    }

    private void write(final Record<byte[], byte[]> record, final long streamTime) {
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
      FeatureHistory.put(store, new String(record.key(), StandardCharsets.UTF_8), vector, record.timestamp(),
          streamTime, historyMs);
    }

    private void deadLetter(final Record<byte[], byte[]> record, final RecordMetadata meta, final ReasonCode code,
        final String stage, final String reason) {
      final DeadLetter letter = deadLetters.deadLetter(stage, code, reason, meta.topic(), meta.partition(),
          meta.offset(), record.timestamp(), record.key(), record.value());
      context.forward(new Record<>(record.key(), letter, record.timestamp()), DEAD_LETTERS_SINK);
    }
  }

  /**
   * Validates, applies pending model-control commands, looks up the vector as of t - 1 and scores.
   *
   * <p>With {@code maxTaskIdle > 0}, a valid event at {@code t} is scored only once the task's features stream time
   * has reached {@code t - 1}: every vector the point-in-time rule can pick has then been stored. Until then it is
   * parked in {@value #PARKED_STORE}, behind any event already parked, so events leave in arrival order. Parked
   * events are released when the feature writer signals progress, or by a wall-clock punctuator once they waited
   * {@code maxTaskIdle}; those are scored with what the store has and flagged {@link ReasonCodes#FEATURES_LATE}.
   */
  private static final class ScoreProcessor implements Processor<byte[], byte[], Object, Object> {
    private final ScoringConfig config;
    private final Dependencies deps;
    private final EventContract contract;
    private final Deserializer<ModelCommand> commands;
    private final long maxWaitMs;
    private final int batchSize;
    private final List<Pending> batch = new ArrayList<>();
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<Bytes, byte[]> features;
    private KeyValueStore<String, byte[]> rollouts;
    private KeyValueStore<String, Long> progress;
    private KeyValueStore<String, byte[]> parked;
    private KeyValueStore<String, byte[]> batchStore;
    private ReadOnlyKeyValueStore<String, byte[]> controlLog;
    private Scorer scorer;
    private RolloutController controller;
    private RolloutState state;
    private long parkedCount;
    private long lastLateLogMs = Long.MIN_VALUE / 2;
    private long lateSinceLog;

    ScoreProcessor(final ScoringConfig config, final Dependencies deps) {
      this.config = config;
      this.deps = deps;
      this.contract = new EventContract(deps.featureSet());
      this.commands = deps.topics().modelControl().valueSerde().deserializer();
      this.maxWaitMs = config.maxTaskIdle().toMillis();
      this.batchSize = config.batchSize();
    }

    @Override
    public void init(final ProcessorContext<Object, Object> context) {
      this.context = context;
      this.features = context.getStateStore(FEATURES_STORE);
      this.rollouts = context.getStateStore(ROLLOUT_STORE);
      this.progress = context.getStateStore(PROGRESS_STORE);
      this.parked = context.getStateStore(PARKED_STORE);
      this.batchStore = context.getStateStore(BATCH_STORE);
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
      if (maxWaitMs > 0) {
        // Parked events survive a restart in the change-logged store; count them once.
        try (KeyValueIterator<String, byte[]> all = parked.all()) {
          while (all.hasNext()) {
            all.next();
            parkedCount++;
          }
        }
        context.schedule(Duration.ofMillis(Math.max(10, maxWaitMs / 4)), PunctuationType.WALL_CLOCK_TIME,
            this::release);
      }
      // Events a previous run left in a micro-batch (restored from the changelog) are scored at the first flush;
      // they are decoded again then, because a dead letter cannot be forwarded from init.
      try (KeyValueIterator<String, byte[]> all = batchStore.all()) {
        while (all.hasNext()) {
          final KeyValue<String, byte[]> next = all.next();
          batch.add(new Pending(next.key, ParkedEvent.fromBytes(unflag(next.value)), null, null,
              next.value[0] == 1));
        }
      }
      if (batchSize > 1 || !batch.isEmpty()) {
        context.schedule(config.batchLinger(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
      }
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
      if (record.headers().lastHeader(PROGRESS_HEADER) != null) {
        if (parkedCount > 0) {
          release(context.currentSystemTimeMs());
        }
        return;
      }
      final RecordMetadata meta = context.recordMetadata().orElseThrow();
      final ParkedEvent source = new ParkedEvent(meta.topic(), meta.partition(), meta.offset(), record.timestamp(),
          record.timestamp(), 0L, record.key(), record.value() == null ? new byte[0] : record.value());
      final Accepted accepted = accept(source);
      if (accepted == null) {
        return;
      }
      final long eventTime = accepted.id().eventTimeMs();
      if (maxWaitMs > 0 && (parkedCount > 0 || featuresTime() < eventTime - 1)) {
        final long now = context.currentSystemTimeMs();
        parked.put(ParkedEvent.storeKey(source.offset()), new ParkedEvent(source.topic(), source.partition(),
            source.offset(), source.timestamp(), eventTime, now, source.key(), source.value()).toBytes());
        parkedCount++;
        LOG.debug("event at {}-{}@{} (t={}) parked: features stream time is {}", source.topic(), source.partition(),
            source.offset(), eventTime, featuresTime());
        release(now);
        return;
      }
      score(source, accepted, false);
    }

    /**
     * One WARN per task every {@link #LATE_LOG_INTERVAL_MS} at most, with how many were late since the last one: a
     * lagging feature stream makes every event late, and a line per event would flood the log (each one is counted in
     * {@code driftguard.scoring.events.parked{outcome=late}} and flagged in its prediction).
     */
    private void logLate(final ParkedEvent event, final long nowMs, final long featuresTime) {
      lateSinceLog++;
      if (nowMs - lastLateLogMs < LATE_LOG_INTERVAL_MS) {
        LOG.debug("event at {}-{}@{} scored after waiting {} ms for features", event.topic(), event.partition(),
            event.offset(), nowMs - event.parkedAtWallMs());
        return;
      }
      LOG.warn("{} event(s) scored FEATURES_LATE since the last report; latest at {}-{}@{} after waiting {} ms: "
          + "features stream time {} is before its time {} - 1", lateSinceLog, event.topic(), event.partition(),
          event.offset(), nowMs - event.parkedAtWallMs(), featuresTime, event.eventTimeMs());
      lastLateLogMs = nowMs;
      lateSinceLog = 0;
    }

    private long featuresTime() {
      final Long time = progress.get(PROGRESS_KEY);
      return time == null ? Long.MIN_VALUE : time;
    }

    /** Scores, in arrival order, the parked events whose features have caught up or whose wait is over. */
    private void release(final long nowMs) {
      if (parkedCount == 0) {
        return;
      }
      final long featuresTime = featuresTime();
      final List<KeyValue<String, ParkedEvent>> due = new ArrayList<>();
      try (KeyValueIterator<String, byte[]> all = parked.all()) {
        while (all.hasNext()) {
          final KeyValue<String, byte[]> next = all.next();
          final ParkedEvent event = ParkedEvent.fromBytes(next.value);
          if (featuresTime < event.eventTimeMs() - 1 && nowMs - event.parkedAtWallMs() < maxWaitMs) {
            break;
          }
          due.add(KeyValue.pair(next.key, event));
        }
      }
      for (final KeyValue<String, ParkedEvent> entry : due) {
        parked.delete(entry.key);
        parkedCount--;
        final ParkedEvent event = entry.value;
        final boolean late = featuresTime < event.eventTimeMs() - 1;
        deps.metrics().parked(late ? "late" : "released");
        if (late) {
          logLate(event, nowMs, featuresTime);
        }
        final Accepted accepted = accept(event);
        if (accepted != null) {
          score(event, accepted, late);
        }
      }
    }

    private record Accepted(GenericRecord event, EventContract.Identity id) {
    }

    /** Decodes and checks the event; null after writing its dead letter. */
    private Accepted accept(final ParkedEvent source) {
      final String key = source.key() == null ? null : new String(source.key(), StandardCharsets.UTF_8);
      if (source.value().length == 0) {
        deadLetter(source, ReasonCode.EMPTY_VALUE, EventContract.STAGE_DESERIALIZE, "event has no value");
        return null;
      }
      if (source.value().length > MAX_EVENT_BYTES) {
        final DeadLetter letter = deps.deadLetters().deadLetter(EventContract.STAGE_DESERIALIZE, ReasonCode.TOO_LARGE,
            "event value is " + source.value().length + " bytes; the scorer keeps at most " + MAX_EVENT_BYTES
                + " (its change-logged stores)", source.topic(), source.partition(), source.offset(),
            source.timestamp(), source.key(), null);
        context.forward(new Record<>(source.key(), letter, source.timestamp()), DEAD_LETTERS_SINK);
        return null;
      }
      final GenericRecord event;
      try {
        event = deps.events().deserialize(source.topic(), source.value());
      } catch (RuntimeException e) {
        final ReasonCode code = EventContract.classify(source.value(), e);
        if (code == null) {
          throw e;
        }
        deadLetter(source, code, EventContract.STAGE_DESERIALIZE, EventContract.describe(code, e).getValue());
        return null;
      }
      final EventContract.Violation violation = contract.check(key, event, deps.clock().millis());
      if (violation != null) {
        deadLetter(source, violation.code(), violation.stage(), violation.message());
        return null;
      }
      return new Accepted(event, contract.identity(event,
          source.topic() + "-" + source.partition() + "@" + source.offset()));
    }

    /**
     * One event of a micro-batch, with the vector looked up when it joined the batch (as one-by-one scoring would
     * have seen it); {@code accepted} and {@code vector} are null for an event restored from the changelog.
     */
    private record Pending(String storeKey, ParkedEvent source, Accepted accepted, FeatureVector vector,
        boolean late) {
    }

    private static byte[] flag(final boolean late, final byte[] event) {
      final byte[] out = new byte[event.length + 1];
      out[0] = (byte) (late ? 1 : 0);
      System.arraycopy(event, 0, out, 1, event.length);
      return out;
    }

    private static byte[] unflag(final byte[] stored) {
      return java.util.Arrays.copyOfRange(stored, 1, stored.length);
    }

    /**
     * Applies pending model-control commands at this event (after scoring the batch so far with the state its
     * events arrived under), then scores it at once (batch size 1) or adds it to the micro-batch.
     */
    private void score(final ParkedEvent source, final Accepted accepted, final boolean late) {
      final List<ControlLog.Entry> commands = ControlLog.after(controlLog, config.modelName(), state.appliedOffset());
      if (!commands.isEmpty()) {
        flush();
        applyCommands(source, commands);
      }
      if (batchSize == 1) {
        // Events a batched run left behind (restored) are older: they go first.
        flush();
        scoreOne(source, accepted, late);
        return;
      }
      final FeatureVector vector;
      try {
        vector = vectorBefore(accepted.id());
      } catch (RuntimeException e) {
        failed(source, accepted.id(), e);
        return;
      }
      final String key = ParkedEvent.storeKey(source.offset());
      batchStore.put(key, flag(late, source.toBytes()));
      batch.add(new Pending(key, source, accepted, vector, late));
      if (batch.size() >= batchSize) {
        flush();
      }
    }

    private void scoreOne(final ParkedEvent source, final Accepted accepted, final boolean late) {
      final EventContract.Identity id = accepted.id();
      final Scorer.Scored scored;
      try {
        scored = scorer.score(new Scorer.Event(accepted.event(), id.eventId(), id.entityId(), id.eventTimeMs()),
            vectorBefore(id), state);
      } catch (RuntimeException e) {
        failed(source, id, e);
        return;
      }
      emit(source, id, scored, late);
    }

    private FeatureVector vectorBefore(final EventContract.Identity id) {
      return FeatureHistory.asOf(features, id.entityId(), id.eventTimeMs() - 1, featuresTime(),
          config.featureHistory().toMillis());
    }

    /**
     * Scores the micro-batch in arrival order with one model call per version ({@link Scorer#prescore}); every
     * event still runs the per-record validation, arms and fallback chain, so the predictions equal one-by-one
     * scoring's.
     */
    private void flush() {
      if (batch.isEmpty()) {
        return;
      }
      final List<Pending> items = List.copyOf(batch);
      batch.clear();
      final List<Pending> ready = new ArrayList<>(items.size());
      final List<Scorer.Event> events = new ArrayList<>(items.size());
      final List<FeatureVector> vectors = new ArrayList<>(items.size());
      for (final Pending p : items) {
        batchStore.delete(p.storeKey());
        final Accepted accepted = p.accepted() != null ? p.accepted() : accept(p.source());
        if (accepted == null) {
          continue;
        }
        final EventContract.Identity id = accepted.id();
        try {
          vectors.add(p.accepted() != null ? p.vector() : vectorBefore(id));
        } catch (RuntimeException e) {
          failed(p.source(), id, e);
          continue;
        }
        ready.add(new Pending(p.storeKey(), p.source(), accepted, null, p.late()));
        events.add(new Scorer.Event(accepted.event(), id.eventId(), id.entityId(), id.eventTimeMs()));
      }
      final long start = deps.nanoTime().getAsLong();
      Scorer.Prescored prescored;
      try {
        prescored = scorer.prescore(events, vectors, state);
      } catch (RuntimeException e) {
        LOG.warn("micro-batch of {} events could not be scored in one call; scoring them one by one",
            events.size(), e);
        prescored = null;
      }
      if (!events.isEmpty()) {
        deps.metrics().batch(events.size());
      }
      for (int i = 0; i < ready.size(); i++) {
        final Pending p = ready.get(i);
        final EventContract.Identity id = p.accepted().id();
        final Scorer.Scored scored;
        try {
          scored = scorer.score(events.get(i), vectors.get(i), state, prescored, i, start);
        } catch (RuntimeException e) {
          failed(p.source(), id, e);
          continue;
        }
        emit(p.source(), id, scored, p.late());
      }
    }

    private void failed(final ParkedEvent source, final EventContract.Identity id, final RuntimeException e) {
      LOG.error("scoring event {} at {}-{}@{} failed unexpectedly", id.eventId(), source.topic(),
          source.partition(), source.offset(), e);
      deadLetter(source, ReasonCode.PROCESSING_ERROR, STAGE_SCORE,
          "scoring failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private void emit(final ParkedEvent source, final EventContract.Identity id, final Scorer.Scored scored,
        final boolean late) {
      context.forward(new Record<>(id.entityId(), flagged(scored.primary(), late), source.timestamp()),
          PREDICTIONS_SINK);
      if (scored.shadow() != null) {
        context.forward(new Record<>(id.entityId(), flagged(scored.shadow(), late), source.timestamp()),
            SHADOW_SINK);
      }
    }

    private static Prediction flagged(final Prediction prediction, final boolean late) {
      if (late) {
        final List<String> codes = new ArrayList<>(prediction.getReasonCodes());
        codes.add(ReasonCodes.FEATURES_LATE);
        prediction.setReasonCodes(codes);
      }
      return prediction;
    }

    private void applyCommands(final ParkedEvent source, final List<ControlLog.Entry> pending) {
      state = controller.apply(state, pending,
          new RolloutController.EffectivePoint(source.topic(), source.partition(), source.offset()),
          alert -> context.forward(new Record<>(RolloutController.MONITOR + "/" + config.modelName(), alert,
              source.timestamp()), ALERTS_SINK));
      rollouts.put(config.modelName(), state.toBytes());
      deps.live().offer(state);
    }

    private void deadLetter(final ParkedEvent source, final ReasonCode code, final String stage,
        final String reason) {
      final DeadLetter letter = deps.deadLetters().deadLetter(stage, code, reason, source.topic(),
          source.partition(), source.offset(), source.timestamp(), source.key(),
          source.value().length == 0 ? null : source.value());
      context.forward(new Record<>(source.key(), letter, source.timestamp()), DEAD_LETTERS_SINK);
    }

    @Override
    public void close() {
      if (scorer != null) {
        scorer.close();
      }
    }
  }
}
