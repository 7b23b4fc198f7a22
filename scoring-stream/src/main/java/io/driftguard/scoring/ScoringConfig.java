package io.driftguard.scoring;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Scoring settings.
 *
 * @param modelName the registered model this app serves (and the key it reads on model-control)
 * @param registryDir root of the model registry
 * @param featureHistory how far back the versioned feature store keeps vectors; an event older than the store's
 *     stream time minus this finds no vector
 * @param modelTimeout a model call slower than this counts as a failure and its score is not used
 * @param breakerFailures consecutive failures that open a version's circuit breaker
 * @param breakerOpenFor how long an open breaker refuses calls before one trial call
 * @param httpTimeout bound on one {@code POST /score} request
 * @param maxTaskIdle how long the scorer holds an event back for its task's {@code features} partition to reach
 *     {@code t - 1} before it scores with what the store has (flagged {@code FEATURES_LATE}); 0 turns the wait off
 * @param fallbackRule the declared rule when no model can score
 * @param batchSize micro-batch: events scored by one model call per version; 1 turns batching off (one call per
 *     event). Default {@value #DEFAULT_BATCH_SIZE}
 * @param batchLinger the longest an event waits for its micro-batch to fill: a wall-clock punctuation at this
 *     interval scores whatever is pending. Default 10 ms
 */
public record ScoringConfig(String modelName, Path registryDir, Duration featureHistory, Duration modelTimeout,
    Integer breakerFailures, Duration breakerOpenFor, Duration httpTimeout, Duration maxTaskIdle,
    FallbackRule fallbackRule, Integer batchSize, Duration batchLinger) {
  public static final int DEFAULT_BATCH_SIZE = 256;
  private static final int MAX_BATCH_SIZE = 10_000;

  public ScoringConfig {
    if (modelName == null || modelName.isBlank()) {
      throw new IllegalArgumentException("scoring.modelName must not be blank");
    }
    if (registryDir == null) {
      throw new IllegalArgumentException("scoring.registryDir must be set");
    }
    featureHistory = positive("scoring.featureHistory", featureHistory, Duration.ofDays(2));
    modelTimeout = positive("scoring.modelTimeout", modelTimeout, Duration.ofMillis(100));
    if (breakerFailures == null) {
      breakerFailures = 5;
    }
    if (breakerFailures < 1) {
      throw new IllegalArgumentException("scoring.breakerFailures must be >= 1, was " + breakerFailures);
    }
    breakerOpenFor = positive("scoring.breakerOpenFor", breakerOpenFor, Duration.ofSeconds(30));
    httpTimeout = positive("scoring.httpTimeout", httpTimeout, Duration.ofMillis(500));
    if (maxTaskIdle == null) {
      maxTaskIdle = Duration.ofSeconds(1);
    }
    if (maxTaskIdle.isNegative()) {
      throw new IllegalArgumentException("scoring.maxTaskIdle must not be negative, was " + maxTaskIdle);
    }
    fallbackRule = fallbackRule == null ? FallbackRule.defaults() : fallbackRule;
    if (batchSize == null) {
      batchSize = DEFAULT_BATCH_SIZE;
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("scoring.batchSize must be in [1, " + MAX_BATCH_SIZE + "], was "
          + batchSize);
    }
    batchLinger = positive("scoring.batchLinger", batchLinger, Duration.ofMillis(10));
  }

  /** Settings with micro-batching at its defaults. */
  public ScoringConfig(final String modelName, final Path registryDir, final Duration featureHistory,
      final Duration modelTimeout, final Integer breakerFailures, final Duration breakerOpenFor,
      final Duration httpTimeout, final Duration maxTaskIdle, final FallbackRule fallbackRule) {
    this(modelName, registryDir, featureHistory, modelTimeout, breakerFailures, breakerOpenFor, httpTimeout,
        maxTaskIdle, fallbackRule, null, null);
  }

  /** The same settings with another micro-batch size (1 = off). */
  public ScoringConfig withBatchSize(final int size) {
    return new ScoringConfig(modelName, registryDir, featureHistory, modelTimeout, breakerFailures, breakerOpenFor,
        httpTimeout, maxTaskIdle, fallbackRule, size, batchLinger);
  }

  /** Defaults for everything but the model and the registry. */
  public static ScoringConfig of(final String modelName, final Path registryDir) {
    return new ScoringConfig(modelName, registryDir, null, null, null, null, null, null, null, null, null);
  }

  private static Duration positive(final String key, final Duration value, final Duration fallback) {
    final Duration d = value == null ? fallback : value;
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, was " + d);
    }
    return d;
  }
}
