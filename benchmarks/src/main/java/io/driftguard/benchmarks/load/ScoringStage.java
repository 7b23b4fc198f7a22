package io.driftguard.benchmarks.load;

import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import io.driftguard.features.FeatureSet;
import io.driftguard.features.FeatureTopology;
import io.driftguard.features.FeatureTopologyConfig;
import io.driftguard.model.pipeline.PipelineConfig;
import io.driftguard.model.pipeline.PipelineRequest;
import io.driftguard.model.pipeline.PipelineResult;
import io.driftguard.model.pipeline.TrainingPipeline;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.model.train.TrainingConfig;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.metrics.PlatformMetrics;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.RestSchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdeConfig;
import io.driftguard.schemas.serde.AvroSerdes;
import io.driftguard.scoring.LiveRollout;
import io.driftguard.scoring.ModelCatalog;
import io.driftguard.scoring.ScoringConfig;
import io.driftguard.scoring.ScoringMetrics;
import io.driftguard.scoring.ScoringTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoring path end to end: Avro Transactions, then the real {@link FeatureTopology} (demo feature set) writing
 * {@code features}, then the real {@link ScoringTopology} joining events with those vectors and scoring them with the
 * demo model (trained once per JVM by the model module's {@link TrainingPipeline} from the demo config and promoted in
 * a temporary registry), writing one {@code Prediction} per event to the counted output. Both apps run under
 * exactly_once_v2 with one stream thread each, in this JVM. {@code scoring} micro-batches model calls (the scorer's
 * default batch); {@code scoring-nobatch} makes one model call per event.
 *
 * <p>The scorer holds an event until its features partition has reached the event's time, for up to a minute here
 * (not the default second): the feature app can run behind, and a prediction on missing features would be a wrong
 * answer counted as throughput.
 */
final class ScoringStage implements LoadStage {
  static final String NAME = "scoring";
  static final String NAME_UNBATCHED = "scoring-nobatch";
  private static final Logger LOG = LoggerFactory.getLogger(ScoringStage.class);
  private static final Duration FEATURE_WAIT = Duration.ofMinutes(1);
  private static final Duration CLOSE_TIMEOUT = Duration.ofMinutes(2);
  private static DemoModel demoModel;

  private final String name;
  private final int batchSize;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<String> topics = new ArrayList<>();
  private KafkaStreams features;
  private KafkaStreams scoring;
  private ModelCatalog catalog;
  private SchemaRegistryClient registry;
  private String bootstrapServers;

  private ScoringStage(final String name, final int batchSize) {
    this.name = name;
    this.batchSize = batchSize;
  }

  static ScoringStage batched() {
    return new ScoringStage(NAME, ScoringConfig.DEFAULT_BATCH_SIZE);
  }

  static ScoringStage unbatched() {
    return new ScoringStage(NAME_UNBATCHED, 1);
  }

  /** The demo model, registered and promoted in a temporary registry; trained on first use. */
  private record DemoModel(Path registryDir, String modelName) {
  }

  private static synchronized DemoModel demoModel() {
    if (demoModel != null) {
      return demoModel;
    }
    try {
      final Path dir = Files.createTempDirectory("driftguard-bench-model-");
      final PipelineConfig demo = PipelineConfig.loadResource(PipelineConfig.DEMO_RESOURCE);
      final TrainingConfig t = demo.training();
      // The demo's model and data as they are; only the gates go (a p99 gate fails on a loaded benchmark machine,
      // and an unpromoted model would leave the scorer on its fallback rule) and the evaluation is lighter.
      final TrainingConfig training = new TrainingConfig(t.modelName(), t.xgboost(), t.split(), t.calibration(),
          t.missingPolicy(), List.of("auc min 0.5"), t.compact());
      final PipelineConfig config = new PipelineConfig(demo.featureSetLocation(), demo.generator(),
          demo.trainingSet(), new PipelineConfig.EvaluationSettings(10, 17, 100), training);
      final long start = System.nanoTime();
      final PipelineResult result = TrainingPipeline.run(new PipelineRequest(config, null, dir.resolve("run"),
          dir.resolve("registry"), "bench-v1", Instant.now(), null, "benchmark", true), (step, message) -> { });
      if (!result.promoted()) {
        throw new IllegalStateException("the demo model was not promoted: " + result.gates());
      }
      LOG.info("demo model {} trained and promoted in {} s", t.modelName(), (System.nanoTime() - start) / 1e9);
      demoModel = new DemoModel(dir.resolve("registry"), t.modelName());
      return demoModel;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot train the demo model", e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start(final StageContext context) {
    if (context.schemaRegistryUrl() == null) {
      throw new IllegalArgumentException("stage '" + name + "' needs a schema registry: run with --input transactions");
    }
    bootstrapServers = context.bootstrapServers();
    final DemoModel model = demoModel();
    final FeatureSet set = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema());
    registry = RestSchemaRegistryClient.of(context.schemaRegistryUrl());
    final String run = context.runId();
    final TopicSettings names = new TopicSettings(context.inputTopic(), "bench-labels-" + run,
        "bench-features-" + run, context.outputTopic(), "bench-shadow-" + run, "bench-alerts-" + run,
        "bench-control-" + run, "bench-dead-letters-" + run, null, (short) 1);
    final int partitions = createTopics(names);
    final TopicSpecs specs = TopicSpecs.create(names, registry);

    final FeatureTopologyConfig featureConfig = new FeatureTopologyConfig(set, names.events(), names.features(),
        names.deadLetters(), null, null);
    features = start("bench-scoring-features-" + run, context.stateDir().resolve("features"), Map.of(),
        FeatureTopology.build(featureConfig, AvroSerdes.generic(registry, false),
            AvroSerdes.specific(FeatureVector.class, registry, false),
            AvroSerdes.specific(DeadLetter.class, registry, false), new SimpleMeterRegistry()));

    final ScoringConfig config = new ScoringConfig(model.modelName(), model.registryDir(), null, null, null, null,
        null, FEATURE_WAIT, null, batchSize, null);
    catalog = new ModelCatalog(new ModelRegistry(model.registryDir(), Clock.systemUTC()), model.modelName(),
        set.hash());
    // Fail here, not as a silent fallback on every event, when the champion cannot serve this feature set.
    catalog.runner(catalog.initialState().champion());
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ScoringMetrics metrics = new ScoringMetrics(model.modelName());
    metrics.bindTo(meters);
    final DeadLetters deadLetters = new DeadLetters("bench-scoring", names.deadLetters(),
        specs.deadLetters().valueSerde().serializer(), PlatformMetrics.boundTo(meters), Clock.systemUTC());
    final ScoringTopology.Dependencies deps = new ScoringTopology.Dependencies(set, specs,
        AvroSerdes.generic(registry, false, set.eventSchema(), AvroSerdeConfig.defaults()).deserializer(), catalog,
        metrics, deadLetters, new LiveRollout(), Clock.systemUTC(), System::nanoTime);
    scoring = start("bench-scoring-" + run, context.stateDir().resolve("scoring"),
        ScoringTopology.streamsOverrides(config), ScoringTopology.build(config, deps));
    LOG.info("stage {}: {} partitions, batch size {}", name, partitions, batchSize);
  }

  private KafkaStreams start(final String appId, final Path stateDir, final Map<String, Object> overrides,
      final org.apache.kafka.streams.Topology topology) {
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.putAll(overrides);
    final KafkaStreams streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(e -> {
      failure.compareAndSet(null, e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
    return streams;
  }

  /** Creates the run's topics (co-partitioned with the input; model-control has one partition). */
  private int createTopics(final TopicSettings names) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      final int partitions = admin.describeTopics(List.of(names.events())).allTopicNames().get()
          .get(names.events()).partitions().size();
      final List<NewTopic> created = new ArrayList<>();
      for (final String t : List.of(names.features(), names.predictionsShadow(), names.alerts(),
          names.deadLetters())) {
        created.add(new NewTopic(t, partitions, (short) 1));
      }
      created.add(new NewTopic(names.modelControl(), 1, (short) 1));
      admin.createTopics(created).all().get();
      created.forEach(t -> topics.add(t.name()));
      return partitions;
    } catch (ExecutionException e) {
      throw new IllegalStateException("stage " + name + ": cannot create its topics: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("stage " + name + ": interrupted creating its topics", e);
    }
  }

  @Override
  public void checkHealthy() {
    if (failure.get() != null) {
      throw new IllegalStateException("stage " + name + " failed: " + failure.get().getMessage(), failure.get());
    }
    for (final KafkaStreams s : new KafkaStreams[] {features, scoring}) {
      if (s != null && s.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("stage " + name + ": a Streams client is in state ERROR");
      }
    }
  }

  @Override
  public void stop() {
    // On a loaded machine a close can take long; the models are closed only once no stream thread can call them.
    final boolean scoringClosed = scoring == null || scoring.close(CLOSE_TIMEOUT);
    final boolean featuresClosed = features == null || features.close(CLOSE_TIMEOUT);
    if (catalog != null && scoringClosed) {
      catalog.close();
    } else if (catalog != null) {
      LOG.warn("stage {}: the scoring app did not close within {}; its models are left open", name, CLOSE_TIMEOUT);
    }
    if (!featuresClosed) {
      LOG.warn("stage {}: the feature app did not close within {}", name, CLOSE_TIMEOUT);
    }
    if (registry != null) {
      registry.close();
    }
    if (!topics.isEmpty()) {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
        admin.deleteTopics(topics).all().get();
      } catch (ExecutionException e) {
        LOG.warn("stage {}: could not delete topics {}: {}", name, topics, e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    checkHealthy();
  }
}
