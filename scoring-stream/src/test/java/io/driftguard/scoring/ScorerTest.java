package io.driftguard.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.Arm;
import io.driftguard.avro.Decision;
import io.driftguard.avro.Prediction;
import io.driftguard.model.bundle.ArtifactBundle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fallback chain and circuit breaker, with versions whose scoring is scripted (the plans are real). */
class ScorerTest {
  @TempDir
  static Path tmp;
  static InputPlan plan;
  static final Duration TIMEOUT = Duration.ofMillis(100);

  private final AtomicLong nanos = new AtomicLong();
  private final Map<String, ToDoubleFunction<double[]>> behaviour = new HashMap<>();
  private final Map<String, java.util.function.Function<double[][], double[]>> batchBehaviour = new HashMap<>();
  private final AtomicLong singleCalls = new AtomicLong();
  private final AtomicLong batchCalls = new AtomicLong();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private Scorer scorer;

  @BeforeAll
  static void planFromARealArtifact() throws Exception {
    final ArtifactBundle bundle = TestModels.train(tmp, "v1", 11);
    plan = InputPlan.of(bundle.manifest(), TestModels.FEATURES);
  }

  @BeforeEach
  void scorer() {
    final ScoringMetrics metrics = new ScoringMetrics(TestModels.MODEL);
    metrics.bindTo(meters);
    final ScoringConfig config = new ScoringConfig(TestModels.MODEL, tmp, null, TIMEOUT, 3, Duration.ofSeconds(30),
        null, null, null);
    scorer = new Scorer(TestModels.MODEL, version -> new Scripted(version), config, metrics,
        Clock.fixed(ScoringHarness.WALL, ZoneOffset.UTC), nanos::get);
  }

  /** A version whose score comes from {@link #behaviour}. */
  private final class Scripted implements LoadedVersion {
    private final String version;

    Scripted(final String version) {
      if (!behaviour.containsKey(version)) {
        throw new IllegalArgumentException("version " + version + " is not registered");
      }
      this.version = version;
    }

    @Override
    public String version() {
      return version;
    }

    @Override
    public String artifactSha256() {
      return "sha-" + version;
    }

    @Override
    public InputPlan plan() {
      return plan;
    }

    @Override
    public double score(final double[] row) {
      singleCalls.incrementAndGet();
      return behaviour.get(version).applyAsDouble(row);
    }

    @Override
    public double[] score(final double[][] rows) {
      batchCalls.incrementAndGet();
      return batchBehaviour.get(version).apply(rows);
    }

    @Override
    public void close() {
    }
  }

  private Prediction score(final RolloutState state) {
    final var event = ScoringHarness.txn("card-1", 10, ScoringHarness.WALL);
    final var vector = ScoringHarness.vector("card-1", ScoringHarness.WALL.minusSeconds(10),
        ScoringHarness.values(20));
    return scorer.score(new Scorer.Event(event, event.getEventId(), "card-1", ScoringHarness.WALL.toEpochMilli()),
        vector, state).primary();
  }

  private static RolloutState champion(final String champion, final String... knownGood) {
    return new RolloutState(TestModels.MODEL, champion, List.of(knownGood), null, 0, null, 5);
  }

  private static ToDoubleFunction<double[]> failing() {
    return row -> {
      throw new IllegalStateException("native crash");
    };
  }

  @Test
  void shouldTakeScoresFromOneBatchCallAndCallTheModelPerEventWhenTheBatchCallFails() {
    // Given v1 whose batch call answers 0.75 per row and whose single call answers 0.25, and three events
    behaviour.put("v1", row -> 0.25);
    batchBehaviour.put("v1", rows -> {
      final double[] out = new double[rows.length];
      java.util.Arrays.fill(out, 0.75);
      return out;
    });
    final List<Scorer.Event> events = new java.util.ArrayList<>();
    final List<io.driftguard.avro.FeatureVector> vectors = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      final var t = ScoringHarness.txn("card-" + i, 10, ScoringHarness.WALL);
      events.add(new Scorer.Event(t, t.getEventId(), t.getCardId(), ScoringHarness.WALL.toEpochMilli()));
      vectors.add(ScoringHarness.vector(t.getCardId(), ScoringHarness.WALL.minusSeconds(10),
          ScoringHarness.values(20)));
    }
    final RolloutState state = champion("v1");

    // When the batch is pre-scored and each event scored
    final Scorer.Prescored prescored = scorer.prescore(events, vectors, state);
    final List<Prediction> batched = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batched.add(scorer.score(events.get(i), vectors.get(i), state, prescored, i, nanos.get()).primary());
    }

    // Then one batch call answered all three, with no single call
    assertThat(batched).extracting(Prediction::getScore).containsExactly(0.75, 0.75, 0.75);
    assertThat(batchCalls.get()).isEqualTo(1);
    assertThat(singleCalls.get()).isZero();

    // When the batch call throws
    batchBehaviour.put("v1", rows -> {
      throw new IllegalStateException("native crash in a batch");
    });
    final Scorer.Prescored failed = scorer.prescore(events, vectors, state);
    final List<Prediction> alone = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      alone.add(scorer.score(events.get(i), vectors.get(i), state, failed, i, nanos.get()).primary());
    }

    // Then each event called v1 alone, with no fallback and no breaker failure
    assertThat(alone).extracting(Prediction::getScore).containsExactly(0.25, 0.25, 0.25);
    assertThat(alone).allSatisfy(p -> assertThat(p.getFallbackReason()).isNull());
    assertThat(singleCalls.get()).isEqualTo(3);
  }

  @Test
  void shouldFallBackToThePreviousVersionWhenTheChampionThrows() {
    // Given a champion that throws and a working previous version
    behaviour.put("v2", failing());
    behaviour.put("v1", row -> 0.9);

    // When an event is scored
    final Prediction p = score(champion("v2", "v1"));

    // Then v1 answered, and the reason is recorded
    assertThat(p.getModelVersion()).isEqualTo("v1");
    assertThat(p.getArtifactSha256()).isEqualTo("sha-v1");
    assertThat(p.getScore()).isEqualTo(0.9);
    assertThat(p.getFallbackReason()).isEqualTo("MODEL_ERROR");
    assertThat(p.getReasonCodes()).contains("MODEL_ERROR:v2");
    assertThat(meters.find(ScoringMetrics.FALLBACKS).tag("reason", "MODEL_ERROR").counter().count()).isEqualTo(1);
  }

  @Test
  void shouldUseTheDeclaredRuleWhenEveryVersionFails() {
    // Given a champion and a previous version that both fail, and a version that cannot even be loaded
    behaviour.put("v2", failing());
    behaviour.put("v1", row -> Double.NaN);

    // When an event is scored with v0 (unregistered) as an older known-good
    final Prediction p = score(champion("v2", "v0", "v1"));

    // Then the rule gives the score, and the first reason is kept
    assertThat(p.getModelVersion()).isEqualTo("default-rule");
    assertThat(p.getArtifactSha256()).isNull();
    assertThat(p.getScore()).isEqualTo(0.0);
    assertThat(p.getDecision()).isEqualTo(Decision.NEGATIVE);
    assertThat(p.getArm()).isEqualTo(Arm.CHAMPION);
    assertThat(p.getFallbackReason()).isEqualTo("MODEL_ERROR");
    assertThat(p.getReasonCodes()).contains("MODEL_ERROR:v2", "MODEL_ERROR:v1");
    assertThat(p.getFeatures()).hasSize(TestModels.INPUTS.size());
  }

  @Test
  void shouldGiveNoModelReasonWhenNoChampionIsKnown() {
    // Given no versions at all
    // When an event is scored
    final Prediction p = score(new RolloutState(TestModels.MODEL, null, List.of(), null, 0, null, -1));

    // Then the rule answers with NO_MODEL
    assertThat(p.getModelVersion()).isEqualTo("default-rule");
    assertThat(p.getFallbackReason()).isEqualTo("NO_MODEL");
  }

  @Test
  void shouldDiscardTheScoreAndFallBackWhenTheModelIsSlowerThanTheTimeout() {
    // Given a champion whose call takes 150 ms against a 100 ms timeout
    behaviour.put("v2", row -> {
      nanos.addAndGet(Duration.ofMillis(150).toNanos());
      return 0.7;
    });
    behaviour.put("v1", row -> 0.2);

    // When an event is scored
    final Prediction p = score(champion("v2", "v1"));

    // Then v1 answered with MODEL_TIMEOUT as the reason
    assertThat(p.getModelVersion()).isEqualTo("v1");
    assertThat(p.getFallbackReason()).isEqualTo("MODEL_TIMEOUT");
  }

  @Test
  void shouldStopCallingAFailingVersionAndTryAgainLaterWhenTheBreakerOpens() {
    // Given a champion that fails three times (the threshold) and a working previous version
    final AtomicLong calls = new AtomicLong();
    behaviour.put("v2", row -> {
      calls.incrementAndGet();
      throw new IllegalStateException("boom");
    });
    behaviour.put("v1", row -> 0.4);
    for (int i = 0; i < 3; i++) {
      score(champion("v2", "v1"));
    }

    // When more events come while the breaker is open
    final Prediction whileOpen = score(champion("v2", "v1"));

    // Then v2 is not called, and the reason says why
    assertThat(calls.get()).isEqualTo(3);
    assertThat(whileOpen.getFallbackReason()).isEqualTo("CIRCUIT_OPEN");
    assertThat(whileOpen.getModelVersion()).isEqualTo("v1");

    // When the open period is over and v2 has recovered
    nanos.addAndGet(Duration.ofSeconds(31).toNanos());
    behaviour.put("v2", row -> {
      calls.incrementAndGet();
      return 0.8;
    });
    final Prediction trial = score(champion("v2", "v1"));

    // Then one trial call goes through and closes the breaker
    assertThat(trial.getModelVersion()).isEqualTo("v2");
    assertThat(trial.getFallbackReason()).isNull();
    assertThat(calls.get()).isEqualTo(4);
  }
}
