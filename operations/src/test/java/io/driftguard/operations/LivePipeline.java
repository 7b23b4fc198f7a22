package io.driftguard.operations;

import static org.awaitility.Awaitility.await;

import io.driftguard.avro.Label;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.drift.DriftApp;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.features.FeatureApp;
import io.driftguard.features.FeatureSet;
import io.driftguard.features.FeatureStreamSettings;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.Dataset;
import io.driftguard.model.dataset.TrainingSet;
import io.driftguard.model.dataset.TrainingSetBuilder;
import io.driftguard.model.pipeline.PipelineConfig;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.model.synth.Scenario;
import io.driftguard.model.synth.SynthConfig;
import io.driftguard.model.synth.SyntheticDataGenerator;
import io.driftguard.model.synth.TimedRecord;
import io.driftguard.model.train.TrainOptions;
import io.driftguard.model.train.Trainer;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.LoadedConfig;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.platform.topics.TopicCatalogue;
import io.driftguard.platform.topics.TopicDefinition;
import io.driftguard.platform.topics.TopicProvisioner;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import io.driftguard.scoring.ScoringApp;
import io.driftguard.scoring.ScoringConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three driftguard apps running for real on the shared embedded broker and registry, each built through its own
 * config loader and public factory ({@link FeatureApp}, {@link ScoringApp}, {@link DriftApp}) with its metrics
 * server on an ephemeral loopback port, fed by the project's synthetic generator: card payments and their delayed
 * labels, on event time.
 *
 * <p>The timeline (event time, fixed so runs repeat): 6 days of history, replayed through the feature set by the
 * model module's {@link TrainingSetBuilder}, train {@code fraud v1} and {@code v2} (both registered; PROMOTE v1 then
 * v2 on model-control, so v2 serves and v1 is the known-good version a ROLLBACK returns to). Then live, published as
 * fast as the apps take it: one day of backfill (card windows fill, as in production after a deploy; drift-monitor is
 * not running yet and later starts at the end of the topics), {@link #BASELINE} and {@link #STEADY} without drift, {@link #DRIFT} with
 * amounts shifted by {@value #AMOUNT_SHIFT_SIGMAS} sigmas, and {@link #NUDGE} and {@link #TAIL} after a rollback. Labels arrive with a
 * median delay of 2 h; drift-monitor's label horizon is 6 h, so cohorts turn final while the test runs.
 */
final class LivePipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LivePipeline.class);
  static final String MODEL = "fraud";
  /**
   * drift-monitor's event-time window: about 900 predictions at this rate. With 3 h (225 predictions) and 6 h (450)
   * windows, the sampling noise of PSI on the discrete 24 h counts now and then reached the alert's 0.2 at rest.
   */
  static final Duration WINDOW = Duration.ofHours(12);
  static final double AMOUNT_SHIFT_SIGMAS = 3.0;
  private static final int CARDS = 300;
  private static final double EVENTS_PER_CARD_DAY = 6;
  private static final int PARTITIONS = 2;
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  /** End of the training history; live starts here with the backfill. */
  private static final Instant HISTORY_END = START.plus(Duration.ofDays(6));
  private static final Instant BACKFILL_END = HISTORY_END.plus(Duration.ofDays(1));
  /**
   * An hour past the second baseline window: drift-monitor's cohort tick at the end of that window (stream time) makes
   * the first baseline cohort final (label horizon 6 h), so realized-quality gauges exist before the drift.
   */
  private static final Instant ONSET = BACKFILL_END.plus(Duration.ofHours(25));
  /** Long enough that the first drifted window closes (its end plus the 10 min grace) while the drift lasts. */
  private static final Instant DRIFT_END = ONSET.plus(Duration.ofHours(18));
  private static final Instant TAIL_END = DRIFT_END.plus(Duration.ofHours(3));

  /** A stretch of the live timeline. */
  record Phase(String name, Instant from, Instant to) {
  }

  static final Phase BACKFILL = new Phase("backfill", HISTORY_END, BACKFILL_END);
  static final Phase BASELINE = new Phase("baseline", BACKFILL_END, BACKFILL_END.plus(Duration.ofHours(12)));
  static final Phase STEADY = new Phase("steady", BACKFILL_END.plus(Duration.ofHours(12)), ONSET);
  static final Phase DRIFT = new Phase("drift", ONSET, DRIFT_END);
  /**
   * The scorer applies model-control commands when it scores its next event (the command's effective point): the
   * nudge after a rollback request is those next events.
   */
  static final Phase NUDGE = new Phase("nudge", DRIFT_END, DRIFT_END.plus(Duration.ofHours(1)));
  static final Phase TAIL = new Phase("tail", DRIFT_END.plus(Duration.ofHours(1)), TAIL_END);

  private static final String TRAINING = """
      featureSet: classpath:features/transactions.yaml
      trainingSet:
        labelCutoff: %s
        unlabelled: drop
        eventFields: [amount, channel, country, merchantCategory]
        staleFeatures: missing
        sliceFields: [channel]
        amountField: amount
        amountBucketEdges: [20, 100, 500]
        partitions: 1
      evaluation: {bootstrapResamples: 20, seed: 17, latencyRows: 200}
      modelName: fraud
      xgboost: {maxDepth: 4, eta: 0.2, rounds: 40, seed: 42, nthread: 1, minChildWeight: 1.0}
      split: {validationFraction: 0.2, testFraction: 0.2}
      calibration: platt
      # seconds_since_last_txn is missing on a card's first payment: the model abstains there (no history to judge).
      missingPolicy: {defaultPolicy: IMPUTE, features: {seconds_since_last_txn: ABSTAIN}}
      gates: [auc min 0.6]
      compact:
        goal: Stop card fraud before authorisation
        successMetric: ROC-AUC on the time-split test set
        mistakeBudget: precision >= 0.1
        rollbackPlan: roll back to the previous champion
      """;

  private final KafkaStackInfo stack;
  private final Path dir;
  private final String prefix;
  private final TopicSettings topics;
  private final List<TimedRecord> timeline;
  private final Path registryDir;
  private final Path tokenFile;
  private final Path policyFile;
  private final KafkaProducer<String, byte[]> producer;
  private final Serializer<Transaction> transactions;
  private final Serializer<Label> labels;
  private final KafkaConsumer<String, byte[]> predictionReader;
  private final Deserializer<Prediction> predictionValues;
  private final Map<String, Prediction> predictions = new ConcurrentHashMap<>();
  private final List<AutoCloseable> running = new ArrayList<>();
  private StreamsApp features;
  private ScoringApp scoring;
  private StreamsApp drift;

  private LivePipeline(final KafkaStackInfo stack, final Path dir, final String prefix, final String token)
      throws IOException {
    this.stack = stack;
    this.dir = dir;
    this.prefix = prefix;
    this.topics = new TopicSettings(prefix + "events", prefix + "labels", prefix + "features",
        prefix + "predictions", prefix + "predictions-shadow", prefix + "alerts", prefix + "model-control",
        prefix + "dead-letters", PARTITIONS, (short) 1);
    this.registryDir = dir.resolve("models");
    this.tokenFile = Files.writeString(Files.createDirectories(dir).resolve("rollback-token"), token);
    // drift-monitor's own policy acts on canaries only: a champion rollback here comes from Alertmanager (or a
    // POST /rollback by hand), which is what the operations tests follow.
    this.policyFile = Files.writeString(dir.resolve("rollback-policy.yaml"), """
        cooldown: 30m
        rules:
          - name: canary-any-drift
            minSeverity: WARNING
            arm: CANARY
        """);
    final SynthConfig generator = SynthConfig.builder().seed(42).cards(CARDS).start(START)
        .duration(Duration.between(START, TAIL_END)).eventsPerCardDay(EVENTS_PER_CARD_DAY)
        .scenario(Scenario.AMOUNT_SHIFT, ONSET).amountShiftSigmas(AMOUNT_SHIFT_SIGMAS)
        .labelDelayMedian(Duration.ofHours(2)).build();
    try (Stream<TimedRecord> records = SyntheticDataGenerator.create(generator).timeline()) {
      this.timeline = records.toList();
    }
    final SchemaRegistryClient registry = stack.registryClient();
    final Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.transactions = AvroSerdes.specific(Transaction.class, registry, false).serializer();
    this.labels = AvroSerdes.specific(Label.class, registry, false).serializer();
    this.predictionReader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        stack.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, prefix + "reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), new ByteArrayDeserializer());
    this.predictionValues = AvroSerdes.specific(Prediction.class, registry, false).deserializer();
  }

  /**
   * Provisions topics and schemas, trains and registers v1 and v2, starts feature-stream and scoring-stream, makes
   * v2 champion, publishes the backfill and starts drift-monitor (POST /rollback on, token {@code token}); returns
   * once every backfill event has its committed prediction. The live phases are the caller's to {@link #publish}.
   */
  static LivePipeline start(final KafkaStackInfo stack, final Path dir, final String prefix, final String token)
      throws Exception {
    final LivePipeline pipeline = new LivePipeline(stack, dir, prefix, token);
    try {
      pipeline.provision();
      pipeline.train();
      pipeline.startFeaturesAndScoring();
      pipeline.publish(BACKFILL);
      pipeline.startDrift();
      return pipeline;
    } catch (final Exception | AssertionError e) {
      pipeline.close();
      throw e;
    }
  }

  private void provision() {
    final List<TopicDefinition> definitions = TopicCatalogue.of(topics);
    try (Admin admin = stack.admin()) {
      TopicProvisioner.ensure(admin, definitions, Duration.ofSeconds(60));
    }
    try (SchemaRegistryClient registry = stack.registryClient()) {
      TopicProvisioner.registerSchemas(registry, definitions);
    } catch (final Exception e) {
      throw new IllegalStateException("cannot register the schemas of " + prefix + "* topics", e);
    }
  }

  private void train() throws IOException {
    final long t0 = System.nanoTime();
    final List<Transaction> events = new ArrayList<>();
    final List<Label> known = new ArrayList<>();
    for (final TimedRecord r : timeline) {
      if (!r.timestamp().isBefore(HISTORY_END)) {
        break;
      }
      if (r.value() instanceof Transaction t) {
        events.add(t);
      } else {
        known.add((Label) r.value());
      }
    }
    final PipelineConfig config = PipelineConfig.parse(TRAINING.formatted(HISTORY_END));
    final TrainingSet set = TrainingSetBuilder.create(config.featureSet(), config.trainingSet()).build(events, known);
    // The first day of the history is the generator's cold start (every card's 24 h windows still filling); live
    // scoring starts after a day of backfill, so the reference profile leaves that day out too. Otherwise the
    // distinct-count and 24 h features "drift" at rest against a reference that is partly cold start.
    final Dataset warm = set.dataset().between(START.plus(Duration.ofDays(1)).toEpochMilli(),
        HISTORY_END.toEpochMilli());
    final ModelRegistry registry = new ModelRegistry(registryDir, Clock.systemUTC());
    for (final String version : List.of("v1", "v2")) {
      final ArtifactBundle bundle = Trainer.train(config.training(), warm, dir.resolve("train-" + version)
          .resolve("bundle"), new TrainOptions(version, HISTORY_END, "ops-test", set.snapshotId())).bundle();
      registry.register(bundle, "ops-test", "operations test model " + version);
    }
    LOG.info("trained v1 and v2 on {} events in {} ms", events.size(), (System.nanoTime() - t0) / 1_000_000);
  }

  private String commonYaml(final String applicationId, final String extraKafka) {
    return """
        applicationId: %s
        instanceId: ops-it
        kafka:
          bootstrapServers: %s
          properties: {%s}
        schemaRegistry: {url: "%s"}
        streams: {stateDir: "%s", commitInterval: 200ms, shutdownTimeout: 20s}
        topics: {events: %s, labels: %s, features: %s, predictions: %s, predictionsShadow: %s, alerts: %s,
                 modelControl: %s, deadLetters: %s, partitions: %d}
        metrics: {host: 127.0.0.1, port: 0}
        """.formatted(applicationId, stack.bootstrapServers(), extraKafka, stack.schemaRegistryUrl(),
        dir.resolve("state-" + applicationId), topics.events(), topics.labels(), topics.features(),
        topics.predictions(), topics.predictionsShadow(), topics.alerts(), topics.modelControl(),
        topics.deadLetters(), PARTITIONS);
  }

  private void startFeaturesAndScoring() throws Exception {
    final LoadedConfig featureConfig = FeatureApp.configLoader(Map.of()).loadYaml(commonYaml(prefix + "features", "")
        + "features: {featureSet: \"classpath:features/transactions.yaml\", slaCheckInterval: 1s}\n",
        "ops feature-stream");
    final FeatureSet featureSet = FeatureApp.loadFeatureSet(featureConfig.section(FeatureApp.SECTION,
        FeatureStreamSettings.class));
    features = FeatureApp.create(featureConfig);
    running.add(features);
    final LoadedConfig scoringConfig = ConfigLoader.withEnv(Map.of()).withSection("scoring", ScoringConfig.class)
        .loadYaml(commonYaml(prefix + "scoring", "") + """
            scoring:
              modelName: %s
              registryDir: "%s"
              fallbackRule: {name: default-rule, score: 0.0, threshold: 0.5}
              # Events are published as fast as the apps take them: give features time to reach t-1, else events
              # are scored with a vector missing the newest payments (FEATURES_LATE), which shifts the 24 h counts
              # against the training reference and fires FeatureDriftHigh at rest.
              maxTaskIdle: 15s
            """.formatted(MODEL, registryDir), "ops scoring-stream");
    scoring = ScoringApp.create(scoringConfig.common(), scoringConfig.section("scoring", ScoringConfig.class),
        featureSet);
    running.add(scoring);
    // v1 then v2: v2 serves, v1 is the known-good version a ROLLBACK returns to.
    command(ModelAction.PROMOTE, "v1");
    command(ModelAction.PROMOTE, "v2");
    features.start();
    scoring.start();
    awaitRunning(features.streams(), "feature-stream");
    awaitRunning(scoring.streamsApp().streams(), "scoring-stream");
  }

  private void startDrift() {
    final LoadedConfig driftConfig = DriftApp.configLoader(Map.of()).loadYaml(commonYaml(prefix + "drift",
        // Watch live traffic only, as when drift-monitor is deployed onto a running pipeline (see the class doc).
        "main.consumer.auto.offset.reset: latest") + """
        drift:
          registryDir: "%s"
          windowSize: %s
          grace: 10m
          thresholdsMode: CALIBRATED
          calibrationWindowSize: 900
          raiseAfter: 1
          clearAfter: 2
          labelHorizon: 6h
          rollbackTokenFile: "%s"
          rollbackPolicyFile: "%s"
        """.formatted(registryDir, WINDOW, tokenFile, policyFile), "ops drift-monitor");
    drift = DriftApp.create(driftConfig);
    running.add(drift);
    drift.start();
    awaitRunning(drift.streams(), "drift-monitor");
  }

  private static void awaitRunning(final KafkaStreams streams, final String name) {
    await(name + " RUNNING").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
  }

  /** Sends a rollout command for {@link #MODEL} to model-control and waits for the broker's ack. */
  void command(final ModelAction action, final String version) throws Exception {
    final Serializer<ModelCommand> commands = AvroSerdes.specific(ModelCommand.class, stack.registryClient(), false)
        .serializer();
    final ModelCommand command = ModelCommand.newBuilder().setCommandId(UUID.randomUUID().toString())
        .setModelName(MODEL).setAction(action).setVersion(version).setCanaryPercent(null)
        .setReason("operations test").setIssuedBy("ops-test").setIssuedAt(Instant.now()).build();
    producer.send(new ProducerRecord<>(topics.modelControl(), MODEL,
        commands.serialize(topics.modelControl(), command))).get();
  }

  /**
   * Publishes every generator record of {@code phase} (events and the labels that arrive in it) in timeline order,
   * and waits until each of its events has a committed prediction. Returns the phase's event ids.
   */
  Set<String> publish(final Phase phase) {
    final long t0 = System.nanoTime();
    final Set<String> ids = new HashSet<>();
    for (final TimedRecord r : timeline) {
      if (r.timestamp().isBefore(phase.from()) || !r.timestamp().isBefore(phase.to())) {
        continue;
      }
      final long ts = r.timestamp().toEpochMilli();
      if (r.value() instanceof Transaction t) {
        ids.add(t.getEventId());
        producer.send(new ProducerRecord<>(topics.events(), null, ts, r.key(),
            transactions.serialize(topics.events(), t)));
      } else {
        producer.send(new ProducerRecord<>(topics.labels(), null, ts, r.key(),
            labels.serialize(topics.labels(), (Label) r.value())));
      }
    }
    producer.flush();
    awaitPredictions(ids, phase.name());
    LOG.info("{}: {} events scored in {} ms", phase.name(), ids.size(), (System.nanoTime() - t0) / 1_000_000);
    return ids;
  }

  /**
   * Waits until drift-monitor has committed its consumption of everything on the predictions and labels topics (its
   * windows and gauges are then as of the newest prediction).
   */
  void awaitDriftCaughtUp() {
    final String group = prefix + "drift";
    try (Admin admin = stack.admin()) {
      await("drift-monitor caught up").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
          .until(() -> {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
            final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
              request.put(new TopicPartition(topics.predictions(), p), OffsetSpec.latest());
              request.put(new TopicPartition(topics.labels(), p), OffsetSpec.latest());
            }
            final var ends = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get();
            // A transaction's commit marker takes an offset of its own after the last record.
            return ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                && committed.get(e.getKey()).offset() >= e.getValue().offset() - 1);
          });
    }
  }

  /**
   * Sends {@code value} as-is to the events topic: not Confluent wire format, so feature-stream and scoring-stream
   * dead-letter it.
   */
  void publishGarbageEvent(final byte[] value) {
    producer.send(new ProducerRecord<>(topics.events(), "garbage", value));
    producer.flush();
  }

  /** Sends {@code value} as-is to the predictions topic, which drift-monitor dead-letters. */
  void publishGarbagePrediction(final byte[] value) {
    producer.send(new ProducerRecord<>(topics.predictions(), "garbage", value));
    producer.flush();
  }

  private void awaitPredictions(final Set<String> ids, final String what) {
    synchronized (predictionReader) {
      if (predictionReader.subscription().isEmpty()) {
        predictionReader.subscribe(List.of(topics.predictions()));
      }
      await(what + " predictions").atMost(Duration.ofMinutes(3)).pollInSameThread().pollInterval(Duration.ofMillis(10))
          .until(() -> {
            predictionReader.poll(Duration.ofMillis(300)).forEach(r -> {
              final Prediction p = decodeOrNull(r.topic(), r.value());
              if (p != null) {
                predictions.put(p.getEventId(), p);
              }
            });
            return predictions.keySet().containsAll(ids);
          });
    }
  }

  /** The prediction, or null for a record that is not one (the garbage {@link #publishGarbagePrediction} sends). */
  private Prediction decodeOrNull(final String topic, final byte[] value) {
    try {
      return predictionValues.deserialize(topic, value);
    } catch (final RuntimeException e) {
      return null;
    }
  }

  /** The committed prediction of each event id in {@code ids} (all of them have one after {@link #publish}). */
  List<Prediction> predictionsOf(final Set<String> ids) {
    return ids.stream().map(predictions::get).toList();
  }

  /** ModelCommands on model-control, read_committed from the start. */
  List<ModelCommand> commands() {
    final List<ModelCommand> out = new ArrayList<>();
    try (KafkaConsumer<String, ModelCommand> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, prefix + "commands-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), AvroSerdes.specific(ModelCommand.class, stack.registryClient(), false)
        .deserializer())) {
      consumer.subscribe(List.of(topics.modelControl()));
      for (int empty = 0; empty < 3; ) {
        final var records = consumer.poll(Duration.ofMillis(500));
        records.forEach(r -> out.add(r.value()));
        empty = records.isEmpty() ? empty + 1 : 0;
      }
    }
    return out;
  }

  /** POST /rollback on drift-monitor by hand (a JSON body, as an operator's curl); returns the HTTP status. */
  int requestRollback(final String token, final String reason) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + driftPort() + "/rollback"))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"reason\":\""
            + reason + "\"}")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  ScoringApp scoring() {
    return scoring;
  }

  int featuresPort() {
    return features.server().port();
  }

  int scoringPort() {
    return scoring.streamsApp().server().port();
  }

  int driftPort() {
    return drift.server().port();
  }

  /** applicationId of each app by metrics port, as Prometheus' static {@code app} label. */
  Map<Integer, String> appsByPort() {
    return Map.of(featuresPort(), prefix + "features", scoringPort(), prefix + "scoring", driftPort(),
        prefix + "drift");
  }

  @Override
  public void close() {
    // drift-monitor first (it reads what the others write), then scoring, then features.
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (final Exception e) {
        LOG.warn("closing {} failed: {}", running.get(i), e.toString());
      }
    }
    predictionReader.close(Duration.ofSeconds(5));
    producer.close(Duration.ofSeconds(10));
  }
}
