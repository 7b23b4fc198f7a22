package io.driftguard.scoring;

import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Prediction;
import io.driftguard.features.FeatureSet;
import io.driftguard.model.registry.ModelRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;

/**
 * The stream scorer's code path without Kafka, for batch scoring: the same event contract, {@link InputPlan}
 * (validation, impute/fallback/abstain), fallback chain and {@link Prediction} building as {@link ScoringTopology}.
 * Not thread-safe (one session per version, like a stream thread).
 */
public final class OfflineScorer implements AutoCloseable {
  private final ModelCatalog catalog;
  private final Scorer scorer;
  private final EventContract contract;
  private final RolloutState state;

  private OfflineScorer(final ModelCatalog catalog, final Scorer scorer, final EventContract contract,
      final RolloutState state) {
    this.catalog = catalog;
    this.scorer = scorer;
    this.contract = contract;
    this.state = state;
  }

  /** Scores with {@code version}, or with the registry's champion and known-good chain when it is null. */
  public static OfflineScorer open(final ScoringConfig config, final FeatureSet featureSet, final String version,
      final Clock clock) {
    Objects.requireNonNull(config, "config");
    final ModelCatalog catalog = new ModelCatalog(new ModelRegistry(config.registryDir(), clock),
        config.modelName(), featureSet.hash());
    final RolloutState state = version == null ? catalog.initialState()
        : new RolloutState(config.modelName(), version, List.of(), null, 0, null, -1);
    // Offline counts are not exported; the scorer still counts, into a registry nobody scrapes.
    final ScoringMetrics metrics = new ScoringMetrics(config.modelName());
    metrics.bindTo(new SimpleMeterRegistry());
    final Scorer scorer = new Scorer(config.modelName(), Scorer.catalogLoader(catalog, featureSet), config,
        metrics, clock, System::nanoTime);
    return new OfflineScorer(catalog, scorer, new EventContract(featureSet), state);
  }

  /**
   * Scores one event with the entity's vector as of {@code eventTime - 1 ms} (null when it has none).
   *
   * @throws IllegalArgumentException naming the field when the event breaks the data contract
   */
  public Prediction score(final GenericRecord event, final FeatureVector vectorBefore) {
    final EventContract.Identity id = contract.identity(event, null);
    final EventContract.Violation v = contract.check(id.entityId(), event, id.eventTimeMs());
    if (v != null) {
      throw new IllegalArgumentException(v.code() + ": " + v.message());
    }
    return scorer.score(new Scorer.Event(event, id.eventId(), id.entityId(), id.eventTimeMs()), vectorBefore, state)
        .primary();
  }

  @Override
  public void close() {
    scorer.close();
    catalog.close();
  }
}
