package io.driftguard.scoring;

import io.driftguard.features.FeatureSet;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.platform.app.SchemaRegistries;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.metrics.AppMetrics;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdeConfig;
import io.driftguard.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.Tag;
import java.time.Clock;
import java.util.Objects;

/**
 * The scoring-stream app: {@link ScoringTopology} in a {@link StreamsApp} (EOS, dead-letter handlers, metrics and
 * health server), with {@code POST /score} mounted on the same HTTP server and {@code max.task.idle.ms} from the
 * scoring config. Close it to stop Streams, the HTTP scorer and the loaded models.
 *
 * <pre>{@code
 * try (ScoringApp app = ScoringApp.create(common, scoring, featureSet)) {
 *   app.start();
 *   app.streamsApp().awaitTermination();
 * }
 * }</pre>
 */
public final class ScoringApp implements AutoCloseable {
  /** The HTTP path of the synchronous scorer. */
  public static final String SCORE_PATH = "/score";

  private final StreamsApp app;
  private final ModelCatalog catalog;
  private final ScoreHandler handler;
  private final LiveRollout live;

  private ScoringApp(final StreamsApp app, final ModelCatalog catalog, final ScoreHandler handler,
      final LiveRollout live) {
    this.app = app;
    this.catalog = catalog;
    this.handler = handler;
    this.live = live;
  }

  /** Builds the app (Streams not started yet; the metrics server is already listening). */
  public static ScoringApp create(final DriftguardConfig common, final ScoringConfig scoring,
      final FeatureSet featureSet) {
    Objects.requireNonNull(common, "common");
    Objects.requireNonNull(scoring, "scoring");
    Objects.requireNonNull(featureSet, "featureSet");
    final Clock clock = Clock.systemUTC();
    final SchemaRegistryClient registry = SchemaRegistries.client(common.schemaRegistry());
    final TopicSpecs topics = TopicSpecs.create(common.topics(), registry);
    final AppMetrics metrics = AppMetrics.create(common.applicationId(), common.instanceId(),
        Tag.of("model_name", scoring.modelName()));
    final ScoringMetrics scoringMetrics = new ScoringMetrics(scoring.modelName());
    metrics.bind(scoringMetrics);
    final DeadLetters deadLetters = new DeadLetters(common.applicationId(), topics.deadLetters().name(),
        topics.deadLetters().valueSerde().serializer(), metrics.platform(), clock);
    final ModelCatalog catalog = new ModelCatalog(new ModelRegistry(scoring.registryDir(), clock),
        scoring.modelName(), featureSet.hash());
    final LiveRollout live = new LiveRollout();
    final ScoringTopology.Dependencies deps = new ScoringTopology.Dependencies(featureSet, topics,
        AvroSerdes.generic(registry, false, featureSet.eventSchema(), AvroSerdeConfig.defaults()).deserializer(),
        catalog, scoringMetrics, deadLetters, live, clock, System::nanoTime);
    final StreamsApp app;
    try {
      app = StreamsApp.create(common, metrics, deadLetters, ScoringTopology.streamsOverrides(scoring),
          props -> ScoringTopology.build(scoring, deps));
    } catch (RuntimeException e) {
      catalog.close();
      metrics.close();
      throw e;
    }
    final ScoreHandler handler = new ScoreHandler(scoring, featureSet, catalog, FeatureLookup.of(app.streams()),
        () -> live.current() != null ? live.current() : catalog.initialState(), scoringMetrics, clock);
    app.server().mount(SCORE_PATH, handler);
    return new ScoringApp(app, catalog, handler, live);
  }

  public void start() {
    app.start();
  }

  public StreamsApp streamsApp() {
    return app;
  }

  /** The newest rollout state this instance's tasks applied, or null before the first task started. */
  public RolloutState rollout() {
    return live.current();
  }

  @Override
  public void close() {
    app.close();
    handler.close();
    catalog.close();
  }
}
