package io.driftguard.reliability.poison;

import io.driftguard.avro.Channel;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Transaction;
import io.driftguard.drift.DriftApp;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.features.FeatureApp;
import io.driftguard.features.FeatureSet;
import io.driftguard.model.Dataset;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.model.train.TrainOptions;
import io.driftguard.model.train.Trainer;
import io.driftguard.model.train.TrainingConfig;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.scoring.ScoringApp;
import io.driftguard.scoring.ScoringConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;

/**
 * The three real apps (feature-stream, scoring-stream, drift-monitor) in this JVM on a running stack, on topics
 * with a per-test prefix, with a small real XGBoost model {@code fraud/v1} registered and promoted, plus helpers the
 * poison, schema and security tests share: healthy transactions, hand-framed wire-format bytes and read_committed
 * reads. Each app is its own KafkaStreams instance with its own metrics port, as in production.
 */
public final class Pipeline implements AutoCloseable {
  public static final String MODEL = "fraud";
  public static final FeatureSet FEATURES = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE,
      Transaction.getClassSchema());
  static final List<String> INPUTS = List.of("amount", "txn_count_10m", "txn_count_1h", "amount_mean_24h",
      "amount_max_24h", "seconds_since_last_txn");
  static final Instant TRAINED_AT = Instant.parse("2026-01-10T00:00:00Z");
  public static final int PARTITIONS = 2;

  private final String prefix;
  private final TopicSettings topics;
  private final ModelRegistry registry;
  private final List<AutoCloseable> open = new ArrayList<>();
  private StreamsApp features;
  private ScoringApp scoring;
  private StreamsApp drift;

  private Pipeline(final String prefix, final ModelRegistry registry) {
    this.prefix = prefix;
    this.topics = new TopicSettings(prefix + "events", prefix + "labels", prefix + "features",
        prefix + "predictions", prefix + "predictions-shadow", prefix + "alerts", prefix + "model-control",
        prefix + "dead-letters", PARTITIONS, (short) 1);
    this.registry = registry;
  }

  /**
   * Trains and registers {@code fraud/v1}, creates the topics, publishes PROMOTE v1, and starts the apps that
   * {@code which} names, each configured like production: YAML plus {@code DRIFTGUARD_*} and {@code KAFKA_*}
   * environment overrides. {@code extraEnv} is added to every app's environment.
   */
  public static Pipeline start(final KafkaStackInfo stack, final Path dir, final String prefix,
      final Map<String, String> extraEnv, final boolean withDrift) throws IOException {
    final ModelRegistry registry = new ModelRegistry(dir.resolve("registry"), Clock.fixed(TRAINED_AT,
        ZoneOffset.UTC));
    registry.register(train(dir, "v1", 11), "reliability", "poison tests");
    final Pipeline p = new Pipeline(prefix, registry);
    stack.createTopics(PARTITIONS, p.topics.events(), p.topics.labels(), p.topics.features(),
        p.topics.predictions(), p.topics.predictionsShadow(), p.topics.alerts(), p.topics.deadLetters());
    stack.createTopics(1, p.topics.modelControl());
    try (Wire wire = Wire.plain(stack)) {
      wire.send(p.topics.modelControl(), MODEL, wire.modelCommand(p.topics.modelControl(),
          command(ModelAction.PROMOTE, "v1")), Instant.now().toEpochMilli());
    }
    try {
      p.features = FeatureApp.create(p.loader(stack, dir, "features", extraEnv, null).common(), FEATURES);
      p.open.add(p.features);
      p.scoring = ScoringApp.create(p.loader(stack, dir, "scoring", extraEnv, null).common(),
          new ScoringConfig(MODEL, registry.root(), null, Duration.ofSeconds(2), null, null, null,
              Duration.ofMillis(500), null), FEATURES);
      p.open.add(p.scoring);
      if (withDrift) {
        p.drift = DriftApp.create(p.loader(stack, dir, "drift", extraEnv, """
            drift:
              registryDir: %s
              windowSize: 1m
              grace: 0s
            """.formatted(registry.root())));
        p.open.add(p.drift);
      }
      p.features.start();
      p.scoring.start();
      if (p.drift != null) {
        p.drift.start();
      }
      p.awaitRunning(Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    return p;
  }

  private io.driftguard.platform.config.LoadedConfig loader(final KafkaStackInfo stack, final Path dir,
      final String app, final Map<String, String> extraEnv, final String section) {
    final Map<String, String> env = new HashMap<>();
    env.put("DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
    env.put("DRIFTGUARD_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
    env.put("DRIFTGUARD_STREAMS_STATE_DIR", dir.resolve("state-" + app).toString());
    env.putAll(extraEnv);
    final String yaml = """
        applicationId: %s%s
        instanceId: it-1
        streams: {commitInterval: 200ms, shutdownTimeout: 60s}
        topics: {events: %s, labels: %s, features: %s, predictions: %s, predictionsShadow: %s, alerts: %s,
                 modelControl: %s, deadLetters: %s, partitions: %d}
        metrics: {host: 127.0.0.1, port: 0}
        """.formatted(prefix, app, topics.events(), topics.labels(), topics.features(), topics.predictions(),
        topics.predictionsShadow(), topics.alerts(), topics.modelControl(), topics.deadLetters(), PARTITIONS)
        + (section == null ? "" : section);
    final ConfigLoader loader = section == null ? ConfigLoader.withEnv(env) : DriftApp.configLoader(env);
    return loader.loadYaml(yaml, app + " test config");
  }

  /** Application id of one of the apps: {@code features}, {@code scoring} or {@code drift}. */
  public String appId(final String app) {
    return prefix + app;
  }

  public TopicSettings topics() {
    return topics;
  }

  public ModelRegistry registry() {
    return registry;
  }

  public StreamsApp features() {
    return features;
  }

  public ScoringApp scoring() {
    return scoring;
  }

  public StreamsApp drift() {
    return drift;
  }

  /** Every started app's Streams instance, by app. */
  public Map<String, KafkaStreams> streams() {
    final Map<String, KafkaStreams> all = new HashMap<>();
    all.put("features", features.streams());
    all.put("scoring", scoring.streamsApp().streams());
    if (drift != null) {
      all.put("drift", drift.streams());
    }
    return all;
  }

  void awaitRunning(final Duration bound) {
    Awaitility.await().atMost(bound).pollInterval(Duration.ofMillis(100)).until(() -> streams().values().stream()
        .allMatch(s -> s.state() == KafkaStreams.State.RUNNING));
  }

  /** A small real model over the demo feature set; {@code seed} changes the data. */
  public static ArtifactBundle train(final Path dir, final String version, final long seed) throws IOException {
    final TrainingConfig config = TrainingConfig.parse("""
        modelName: fraud
        xgboost: {maxDepth: 3, eta: 0.3, rounds: 20, seed: 7, nthread: 1}
        split: {validationFraction: 0.2, testFraction: 0.2}
        calibration: platt
        missingPolicy:
          defaultPolicy: IMPUTE
        gates: ["auc min 0.5"]
        compact:
          goal: catch fraud
          successMetric: recall
          mistakeBudget: "precision >= 0.3"
          rollbackPlan: roll back to the previous champion
        """);
    final int n = 2000;
    final SplittableRandom rnd = new SplittableRandom(seed);
    final double[][] rows = new double[n][];
    final int[] labels = new int[n];
    final long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      final double amount = Math.exp(3 + rnd.nextGaussian());
      final double c10 = rnd.nextInt(0, 4);
      final double c1h = c10 + rnd.nextInt(0, 6);
      final double mean = Math.exp(3 + 0.5 * rnd.nextGaussian());
      final double max = mean * (1 + rnd.nextDouble());
      final double since = rnd.nextDouble(0, 86_400);
      final double z = -2.5 + 0.01 * amount + 0.4 * c1h - 0.00002 * since;
      labels[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      rows[i] = new double[] {amount, c10, c1h, mean, max, since};
      times[i] = TRAINED_AT.toEpochMilli() - (long) (n - i) * 60_000;
    }
    final Dataset data = new Dataset(INPUTS, rows, labels, times, null, Map.of(), Map.of(), FEATURES.hash());
    return Trainer.train(config, data, dir.resolve("train-" + version), new TrainOptions(version, TRAINED_AT,
        "reliability")).bundle();
  }

  /** Registers {@code version} and then breaks its model file, so its checksum no longer matches. */
  public void registerCorrupt(final Path dir, final String version) throws IOException {
    registry.register(train(dir, version, 13), "reliability", "checksum test");
    Files.writeString(registry.root().resolve(MODEL).resolve("versions").resolve(version).resolve("model.json"),
        " ", StandardOpenOption.APPEND);
  }

  public static ModelCommand command(final ModelAction action, final String version) {
    return ModelCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setModelName(MODEL)
        .setAction(action).setVersion(version).setReason("reliability test").setIssuedBy("tester")
        .setIssuedAt(Instant.now()).build();
  }

  /** A valid transaction; the email is PII the outputs must never carry. */
  public static Transaction txn(final String eventId, final String card, final Instant at, final double amount) {
    return Transaction.newBuilder().setEventId(eventId).setCardId(card).setEventTime(at).setAmount(amount)
        .setCurrency("EUR").setMerchantId("m-1").setMerchantCategory("grocery").setCountry("DE")
        .setChannel(Channel.ONLINE).setDeviceId(null).setCustomerEmail(eventId + ".secret@example.com").build();
  }

  /** Confluent wire format by hand: magic byte 0, the 4-byte schema id, then {@code record} in Avro binary. */
  public static byte[] frame(final int schemaId, final Schema writer, final GenericRecord record) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
    final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Reads {@code topic} from the start with read_committed until {@code done} holds for what was read, then a
   * little longer to catch anything behind it; fails after {@code bound}.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readUntil(final String bootstrap, final String topic,
      final Function<List<ConsumerRecord<byte[], byte[]>>, Boolean> done, final Duration bound,
      final Map<String, Object> extra) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-" + topic + "-" + UUID.randomUUID());
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    props.putAll(extra);
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      Awaitility.await().atMost(bound).pollInterval(Duration.ofMillis(10)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return done.apply(records);
      });
      Awaitility.await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> {
        consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        return true;
      });
    }
    return records;
  }

  @Override
  public void close() {
    final List<KafkaStreams> all = new ArrayList<>();
    if (features != null) {
      all.add(features.streams());
    }
    if (scoring != null) {
      all.add(scoring.streamsApp().streams());
    }
    if (drift != null) {
      all.add(drift.streams());
    }
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception e) {
        // close the rest; the test reports its own failure
      }
    }
    open.clear();
    // On a loaded machine a close can outlast its timeout; the state dirs are deleted after this returns.
    Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> all.stream()
        .allMatch(s -> s.state() == KafkaStreams.State.NOT_RUNNING || s.state() == KafkaStreams.State.ERROR));
  }
}
