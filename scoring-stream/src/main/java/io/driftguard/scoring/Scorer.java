package io.driftguard.scoring;

import io.driftguard.avro.Arm;
import io.driftguard.avro.Decision;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Prediction;
import io.driftguard.features.FeatureSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates and scores one event for the stream processor and for {@code POST /score}: picks the arm, builds the
 * model input under the artifact's policy, runs the fallback chain (arm's version, then the champion, then the last
 * known-good, then the declared rule) with a circuit breaker per version, and scores the shadow on the same input.
 * One instance per thread: it owns its DJL sessions.
 */
final class Scorer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scorer.class);

  /** One event to score. */
  record Event(GenericRecord record, String eventId, String entityId, long eventTimeMs) {
    Event {
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(entityId, "entityId");
    }
  }

  /** The decision-bearing prediction and, when a shadow is set, the shadow's. */
  record Scored(Prediction primary, Prediction shadow) {
  }

  private record Failure(RuntimeException error, long atNanos) {
  }

  /**
   * Scores computed ahead for a micro-batch: per version, one score per event of the batch (NaN where none was
   * computed). A batch call that failed or took longer than the model timeout leaves its version out, so each of
   * its events then calls the model alone, with the per-record timeout, breaker and fallbacks.
   */
  static final class Prescored {
    private final Map<String, double[]> byVersion = new HashMap<>();

    private Double get(final String version, final int index) {
      final double[] scores = byVersion.get(version);
      return scores == null || Double.isNaN(scores[index]) ? null : scores[index];
    }
  }

  private final String modelName;
  private final LoadedVersion.Loader loader;
  private final ScoringConfig config;
  private final ScoringMetrics metrics;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Map<String, LoadedVersion> loaded = new HashMap<>();
  private final Map<String, Failure> failedLoads = new HashMap<>();
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();

  Scorer(final String modelName, final LoadedVersion.Loader loader, final ScoringConfig config,
      final ScoringMetrics metrics, final Clock clock, final LongSupplier nanoTime) {
    this.modelName = modelName;
    this.loader = loader;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  /** The real loader: catalog runner, input plan over the feature set, and a session of this thread. */
  static LoadedVersion.Loader catalogLoader(final ModelCatalog catalog, final FeatureSet featureSet) {
    return version -> SessionVersion.open(catalog.runner(version), featureSet);
  }

  /**
   * Loads a version on this thread (or returns the loaded one).
   *
   * @throws RuntimeException when it cannot be served; the failure is counted
   */
  LoadedVersion load(final String version) {
    final LoadedVersion existing = loaded.get(version);
    if (existing != null) {
      return existing;
    }
    final Failure failed = failedLoads.get(version);
    if (failed != null && nanoTime.getAsLong() - failed.atNanos() < config.breakerOpenFor().toNanos()) {
      throw failed.error();
    }
    try {
      final LoadedVersion v = loader.load(version);
      loaded.put(version, v);
      failedLoads.remove(version);
      return v;
    } catch (RuntimeException e) {
      metrics.loadFailure(version);
      failedLoads.put(version, new Failure(e, nanoTime.getAsLong()));
      LOG.warn("model {} version {} cannot be served: {}", modelName, version, e.getMessage());
      throw e;
    }
  }

  Scored score(final Event event, final FeatureVector vectorBefore, final RolloutState state) {
    return score(event, vectorBefore, state, null, 0, nanoTime.getAsLong());
  }

  /**
   * One model call per version for a whole micro-batch: the rows each event's arm version (canary or champion) and
   * the shadow would score first. Pass the result to {@link #score(Event, FeatureVector, RolloutState, Prescored,
   * int, long)}, which then runs exactly the per-record logic, taking the score from here instead of a model call.
   * Versions that cannot load, have an open breaker or where an input is not scored (abstain, fallback) are skipped
   * for those rows.
   */
  Prescored prescore(final List<Event> events, final List<FeatureVector> vectors, final RolloutState state) {
    final Prescored out = new Prescored();
    final Map<String, List<Integer>> indexes = new HashMap<>();
    final Map<String, List<double[]>> rows = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      final Event event = events.get(i);
      final boolean canary = state.canary() != null
          && Canary.inCanary(modelName, event.entityId(), state.canaryPercent());
      final List<String> versions = new ArrayList<>(2);
      if (canary) {
        versions.add(state.canary());
      } else if (state.champion() != null) {
        versions.add(state.champion());
      }
      if (state.shadow() != null) {
        versions.add(state.shadow());
      }
      for (final String version : versions) {
        final LoadedVersion model = batchable(version);
        if (model == null) {
          continue;
        }
        final InputPlan.ModelInput input = model.plan().build(event.record(), event.eventTimeMs(), vectors.get(i),
            new ArrayList<>());
        if (input.action() == InputPlan.Action.SCORE) {
          indexes.computeIfAbsent(version, v -> new ArrayList<>()).add(i);
          rows.computeIfAbsent(version, v -> new ArrayList<>()).add(input.row());
        }
      }
    }
    for (final Map.Entry<String, List<double[]>> e : rows.entrySet()) {
      final String version = e.getKey();
      final double[][] batch = e.getValue().toArray(new double[0][]);
      final long callStart = nanoTime.getAsLong();
      final double[] scores;
      try {
        scores = loaded.get(version).score(batch);
      } catch (RuntimeException ex) {
        LOG.debug("batch call of model {} version {} on {} rows failed; scoring them one by one: {}", modelName,
            version, batch.length, ex.getMessage());
        continue;
      }
      if (scores.length != batch.length || nanoTime.getAsLong() - callStart > config.modelTimeout().toNanos()) {
        continue;
      }
      final double[] byEvent = new double[events.size()];
      java.util.Arrays.fill(byEvent, Double.NaN);
      final List<Integer> at = indexes.get(version);
      for (int k = 0; k < at.size(); k++) {
        byEvent[at.get(k)] = scores[k];
      }
      out.byVersion.put(version, byEvent);
    }
    return out;
  }

  /** The loaded version when a batch call to it is allowed now; null otherwise (loading is counted as usual). */
  private LoadedVersion batchable(final String version) {
    final CircuitBreaker breaker = breakers.get(version);
    if (breaker != null && breaker.state() != CircuitBreaker.State.CLOSED) {
      return null;
    }
    try {
      return load(version);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * {@link #score(Event, FeatureVector, RolloutState)} for event {@code index} of a micro-batch, with scores from
   * {@link #prescore} (may be null) and the latency measured from {@code startNanos}.
   */
  Scored score(final Event event, final FeatureVector vectorBefore, final RolloutState state,
      final Prescored prescored, final int index, final long startNanos) {
    final long start = startNanos;
    final boolean canary = state.canary() != null
        && Canary.inCanary(modelName, event.entityId(), state.canaryPercent());
    final Arm arm = canary ? Arm.CANARY : Arm.CHAMPION;
    final Set<String> chain = new LinkedHashSet<>();
    if (canary) {
      chain.add(state.canary());
    }
    if (state.champion() != null) {
      chain.add(state.champion());
    }
    if (state.previous() != null) {
      chain.add(state.previous());
    }
    final Prediction primary = runChain(event, vectorBefore, List.copyOf(chain), arm, start, prescored, index);
    Prediction shadow = null;
    if (state.shadow() != null) {
      shadow = runChain(event, vectorBefore, List.of(state.shadow()), Arm.SHADOW,
          prescored == null ? nanoTime.getAsLong() : start, prescored, index);
    }
    return new Scored(primary, shadow);
  }

  private Prediction runChain(final Event event, final FeatureVector vector, final List<String> chain,
      final Arm arm, final long start, final Prescored prescored, final int index) {
    String firstReason = chain.isEmpty() ? ReasonCodes.NO_MODEL : null;
    InputPlan.ModelInput firstInput = null;
    final List<String> reasonCodes = new ArrayList<>();
    for (final String version : chain) {
      final LoadedVersion model;
      try {
        model = load(version);
      } catch (RuntimeException e) {
        firstReason = firstReason == null ? ReasonCodes.MODEL_UNAVAILABLE : firstReason;
        reasonCodes.add(ReasonCodes.of(ReasonCodes.MODEL_UNAVAILABLE, version));
        continue;
      }
      final List<InputPlan.Issue> issues = new ArrayList<>();
      final InputPlan.ModelInput input = model.plan().build(event.record(), event.eventTimeMs(), vector, issues);
      if (firstInput == null) {
        firstInput = input;
        for (final InputPlan.Issue issue : issues) {
          metrics.validationIssue(issue.code(), issue.policy().name().toLowerCase(Locale.ROOT));
        }
      }
      if (input.action() == InputPlan.Action.ABSTAIN) {
        final List<String> codes = merge(input.reasonCodes(), reasonCodes);
        metrics.abstention(input.decidingReason());
        return emit(event, model.version(), model.artifactSha256(), arm, null,
            model.plan().manifest().threshold(), input, input.decidingReason(), codes, start);
      }
      if (input.action() == InputPlan.Action.FALLBACK) {
        // The artifact's policy sends this input to the declared rule: no other model is asked.
        firstReason = firstReason == null ? input.decidingReason() : firstReason;
        return rule(event, arm, firstInput, firstReason, merge(input.reasonCodes(), reasonCodes), start);
      }
      final CircuitBreaker breaker = breakers.computeIfAbsent(version,
          v -> new CircuitBreaker(config.breakerFailures(), config.breakerOpenFor(), nanoTime));
      if (!breaker.allowCall()) {
        firstReason = firstReason == null ? ReasonCodes.CIRCUIT_OPEN : firstReason;
        reasonCodes.add(ReasonCodes.of(ReasonCodes.CIRCUIT_OPEN, version));
        continue;
      }
      final long callStart = nanoTime.getAsLong();
      final double score;
      try {
        final Double ahead = prescored == null ? null : prescored.get(version, index);
        score = ahead != null ? ahead : model.score(input.row());
      } catch (RuntimeException e) {
        breaker.onFailure();
        LOG.warn("model {} version {} failed on event {}: {}", modelName, version, event.eventId(), e.getMessage());
        firstReason = firstReason == null ? ReasonCodes.MODEL_ERROR : firstReason;
        reasonCodes.add(ReasonCodes.of(ReasonCodes.MODEL_ERROR, version));
        continue;
      }
      if (nanoTime.getAsLong() - callStart > config.modelTimeout().toNanos()) {
        breaker.onFailure();
        firstReason = firstReason == null ? ReasonCodes.MODEL_TIMEOUT : firstReason;
        reasonCodes.add(ReasonCodes.of(ReasonCodes.MODEL_TIMEOUT, version));
        continue;
      }
      if (!(score >= 0 && score <= 1)) {
        breaker.onFailure();
        firstReason = firstReason == null ? ReasonCodes.MODEL_ERROR : firstReason;
        reasonCodes.add(ReasonCodes.of(ReasonCodes.MODEL_ERROR, version));
        continue;
      }
      breaker.onSuccess();
      if (firstReason != null) {
        metrics.fallback(firstReason, arm.name());
      }
      return emit(event, model.version(), model.artifactSha256(), arm, score, model.plan().manifest().threshold(),
          input, firstReason, merge(input.reasonCodes(), reasonCodes), start);
    }
    return rule(event, arm, firstInput, firstReason, reasonCodes, start);
  }

  private Prediction rule(final Event event, final Arm arm, final InputPlan.ModelInput input, final String reason,
      final List<String> reasonCodes, final long start) {
    metrics.fallback(reason, arm.name());
    final FallbackRule r = config.fallbackRule();
    return emit(event, r.name(), null, arm, r.score(), r.threshold(), input, reason, reasonCodes, start);
  }

  private Prediction emit(final Event event, final String version, final String sha, final Arm arm,
      final Double score, final double threshold, final InputPlan.ModelInput input, final String fallbackReason,
      final List<String> reasonCodes, final long start) {
    final Decision decision = score == null ? Decision.ABSTAIN
        : score >= threshold ? Decision.POSITIVE : Decision.NEGATIVE;
    final Double confidence = score == null ? null : Math.max(score, 1 - score);
    final long latencyMicros = Math.max(0, (nanoTime.getAsLong() - start) / 1000);
    metrics.prediction(version, arm.name(), decision.name(), confidence, latencyMicros);
    return Prediction.newBuilder()
        .setEventId(event.eventId())
        .setEntityId(event.entityId())
        .setEventTime(Instant.ofEpochMilli(event.eventTimeMs()))
        .setScoredAt(clock.instant())
        .setModelName(modelName)
        .setModelVersion(version)
        .setArtifactSha256(sha)
        .setArm(arm)
        .setScore(score)
        .setConfidence(confidence)
        .setDecision(decision)
        .setThreshold(threshold)
        .setFeatureSetHash(input == null ? null : input.featureSetHash())
        .setFeatures(input == null ? List.of() : input.used())
        .setFallbackReason(fallbackReason)
        .setReasonCodes(reasonCodes)
        .setScoringLatencyMicros(latencyMicros)
        .build();
  }

  private static List<String> merge(final List<String> a, final List<String> b) {
    final List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  @Override
  public void close() {
    loaded.values().forEach(LoadedVersion::close);
    loaded.clear();
  }
}
