package io.driftguard.scoring;

import static io.driftguard.scoring.ScoringHarness.txn;
import static io.driftguard.scoring.ScoringHarness.values;
import static io.driftguard.scoring.ScoringHarness.vector;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.Arm;
import io.driftguard.avro.Decision;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Severity;
import io.driftguard.avro.Transaction;
import io.driftguard.avro.UsedFeature;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.gates.Gate;
import io.driftguard.model.gates.GateResult;
import io.driftguard.model.registry.ModelRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoringTopologyTest {
  @TempDir
  static Path tmp;
  static ModelRegistry registry;
  static ModelCatalog catalog;
  static ScoringConfig config;
  static ArtifactBundle v1;
  static ArtifactBundle v2;

  @TempDir
  Path stateDir;

  private static final Instant T = TestModels.T0.plus(Duration.ofDays(3));

  @BeforeAll
  static void trainAndRegister() throws Exception {
    registry = TestModels.registry(tmp.resolve("registry"));
    v1 = registry.register(TestModels.train(tmp, "v1", 11), "test", "first");
    v2 = registry.register(TestModels.train(tmp, "v2", 22), "test", "second");
    registry.register(TestModels.train(tmp, "v3", 33), "test", "to be corrupted");
    TestModels.corrupt(registry, "v3");
    catalog = new ModelCatalog(registry, TestModels.MODEL, TestModels.FEATURES.hash());
    // No task idling in most tests: TopologyTestDriver then processes each record as it is piped. A generous model
    // timeout keeps a GC pause on a busy machine from turning into a fallback (ScorerTest covers timeouts).
    // Batch size 1 (one model call per event); ScoringBatchTest covers micro-batching.
    config = new ScoringConfig(TestModels.MODEL, registry.root(), null, Duration.ofSeconds(5), null, null, null,
        Duration.ZERO, null, 1, null);
  }

  @AfterAll
  static void closeCatalog() {
    catalog.close();
  }

  private ScoringHarness harness() {
    return new ScoringHarness(catalog, config, stateDir);
  }

  private static UsedFeature used(final Prediction p, final String name) {
    return p.getFeatures().stream().filter(f -> f.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no feature " + name + " in " + p));
  }

  @Test
  void shouldUseTheVectorStrictlyBeforeTheEventWhenFeaturesAndEventsInterleaveOutOfOrder() {
    try (ScoringHarness h = harness()) {
      // Given v1 as champion and vectors of card-1 arriving out of order, including the event's own vector (at t)
      // and a later one, all before the event itself
      h.send(ModelAction.PROMOTE, "v1", null);
      final Instant t = T.plus(Duration.ofMinutes(20));
      h.pipe(vector("card-1", T.plus(Duration.ofMinutes(10)), values(20)));
      h.pipe(vector("card-1", T, values(10)));
      h.pipe(vector("card-1", t, values(30)));
      h.pipe(vector("card-1", t.plus(Duration.ofMinutes(10)), values(40)));

      // When the event at t arrives, then an out-of-order event at T + 5 min, then one exactly at T
      final Transaction atT = txn("card-1", 50, t);
      h.pipe(atT);
      h.pipe(txn("card-1", 51, T.plus(Duration.ofMinutes(5))));
      h.pipe(txn("card-1", 52, T));

      // Then each used the newest vector stamped strictly before its own time
      final List<Prediction> out = h.predictions.readValuesToList();
      assertThat(out).hasSize(3);
      assertThat(out.get(0).getEventId()).isEqualTo(atT.getEventId());
      assertThat(used(out.get(0), "amount_mean_24h").getValue()).isEqualTo(20.0);
      assertThat(used(out.get(0), "amount_mean_24h").getAsOf()).isEqualTo(T.plus(Duration.ofMinutes(10)));
      assertThat(used(out.get(0), "amount_mean_24h").getAgeMs()).isEqualTo(Duration.ofMinutes(10).toMillis());
      assertThat(used(out.get(0), "amount").getValue()).isEqualTo(50.0);
      assertThat(used(out.get(1), "amount_mean_24h").getValue()).isEqualTo(10.0);
      // the event at T sees no vector at all: the empty-history defaults are used
      assertThat(out.get(2).getReasonCodes()).contains(ReasonCodes.NO_FEATURE_VECTOR);
      assertThat(used(out.get(2), "txn_count_10m").getValue()).isEqualTo(0.0);
      assertThat(out.get(2).getFeatureSetHash()).isNull();
      assertThat(h.predictions.isEmpty()).isTrue();
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldWaitForFeaturesToCatchUpWhenTheEventArrivesFirstAndTaskIdlingIsOn() {
    final ScoringConfig idling = new ScoringConfig(TestModels.MODEL, registry.root(), null, Duration.ofSeconds(5), null,
        null, null, Duration.ofSeconds(1), null, 1, null);
    try (ScoringHarness h = new ScoringHarness(catalog, idling, stateDir)) {
      // Given v1 and an event at t that reaches the scorer before the vector of an earlier event
      h.send(ModelAction.PROMOTE, "v1", null);
      final Instant t = T.plus(Duration.ofMinutes(20));
      h.pipe(txn("card-w", 50, t));
      assertThat(h.predictions.isEmpty()).isTrue();

      // When the earlier vector arrives (and the vector the event caused, stamped t)
      h.pipe(vector("card-w", T, values(10)));
      h.pipe(vector("card-w", t, values(30)));

      // Then the event is scored in timestamp order: with the earlier vector, never its own
      final Prediction p = h.predictions.readValue();
      assertThat(used(p, "amount_mean_24h").getValue()).isEqualTo(10.0);
      assertThat(h.predictions.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldHoldTheEventUntilItsFeaturesArriveWhenStreamsHandsItOverFirst() {
    final ScoringConfig idling = new ScoringConfig(TestModels.MODEL, registry.root(), null, Duration.ofSeconds(5), null,
        null, null, Duration.ofSeconds(1), null, 1, null);
    try (ScoringHarness h = new ScoringHarness(catalog, idling, stateDir)) {
      // Given v1 and an event at t that Streams hands over while the features partition is empty and caught up
      // (fetched lag 0: Streams does not idle then). Unguarded, it was scored here with NO_FEATURE_VECTOR, before
      // its card's earlier vector: the broker failure of the 20,000-event run.
      h.send(ModelAction.PROMOTE, "v1", null);
      final Instant t = T.plus(Duration.ofMinutes(20));
      h.pipe(txn("card-p", 50, t));
      assertThat(h.predictions.isEmpty()).isTrue();

      // When the card's earlier vector arrives, then the vector the event caused (stamped t)
      h.pipe(vector("card-p", t.minus(Duration.ofMinutes(5)), values(10)));
      assertThat(h.predictions.isEmpty()).isTrue();
      h.pipe(vector("card-p", t, values(30)));

      // Then it is scored once the features partition reached t - 1, with the earlier vector and no flag
      final Prediction p = h.predictions.readValue();
      assertThat(used(p, "amount_mean_24h").getValue()).isEqualTo(10.0);
      assertThat(p.getReasonCodes()).doesNotContain(ReasonCodes.NO_FEATURE_VECTOR, ReasonCodes.FEATURES_LATE);
      assertThat(h.count(ScoringMetrics.PARKED, "outcome", "released")).isEqualTo(1.0);
      assertThat(h.predictions.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldScoreInArrivalOrderAndFlagFeaturesLateWhenTheBoundedWaitRunsOut() {
    final ScoringConfig idling = new ScoringConfig(TestModels.MODEL, registry.root(), null, Duration.ofSeconds(5), null,
        null, null, Duration.ofSeconds(1), null, 1, null);
    try (ScoringHarness h = new ScoringHarness(catalog, idling, stateDir)) {
      // Given two events parked while no features arrive
      h.send(ModelAction.PROMOTE, "v1", null);
      final Transaction first = txn("card-l", 50, T.plusSeconds(10));
      final Transaction second = txn("card-m", 60, T.plusSeconds(20));
      h.pipe(first);
      h.pipe(second);
      h.driver.advanceWallClockTime(Duration.ofMillis(999));
      assertThat(h.predictions.isEmpty()).isTrue();

      // When they have waited maxTaskIdle
      h.driver.advanceWallClockTime(Duration.ofMillis(1));

      // Then both are scored in arrival order with what the store has, flagged FEATURES_LATE
      final List<Prediction> out = h.predictions.readValuesToList();
      assertThat(out).extracting(Prediction::getEventId).containsExactly(first.getEventId(), second.getEventId());
      assertThat(out).allSatisfy(p -> assertThat(p.getReasonCodes())
          .contains(ReasonCodes.FEATURES_LATE, ReasonCodes.NO_FEATURE_VECTOR));
      assertThat(h.count(ScoringMetrics.PARKED, "outcome", "late")).isEqualTo(2.0);
      assertThat(h.predictions.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldFillEveryPredictionFieldAndNoPiiWhenScoringWithTheChampion() {
    try (ScoringHarness h = harness()) {
      // Given v1 as champion and a fresh vector
      h.send(ModelAction.PROMOTE, "v1", null);
      h.pipe(vector("card-2", T, values(25)));

      // When an event is scored
      final Transaction e = txn("card-2", 80, T.plusSeconds(60));
      h.pipe(e);

      // Then the prediction is complete and carries nothing of the customer's email
      final var kv = h.predictions.readKeyValue();
      final Prediction p = kv.value;
      assertThat(kv.key).isEqualTo("card-2");
      assertThat(p.getEventId()).isEqualTo(e.getEventId());
      assertThat(p.getEntityId()).isEqualTo("card-2");
      assertThat(p.getEventTime()).isEqualTo(e.getEventTime());
      assertThat(p.getScoredAt()).isEqualTo(ScoringHarness.WALL);
      assertThat(p.getModelName()).isEqualTo(TestModels.MODEL);
      assertThat(p.getModelVersion()).isEqualTo("v1");
      assertThat(p.getArtifactSha256()).isEqualTo(v1.artifactSha256());
      assertThat(p.getArm()).isEqualTo(Arm.CHAMPION);
      assertThat(p.getScore()).isBetween(0.0, 1.0);
      assertThat(p.getConfidence()).isEqualTo(Math.max(p.getScore(), 1 - p.getScore()));
      assertThat(p.getThreshold()).isEqualTo(v1.manifest().threshold());
      assertThat(p.getDecision()).isEqualTo(p.getScore() >= p.getThreshold() ? Decision.POSITIVE : Decision.NEGATIVE);
      assertThat(p.getFeatureSetHash()).isEqualTo(TestModels.FEATURES.hash());
      assertThat(p.getFeatures()).extracting(UsedFeature::getName).containsExactlyElementsOf(TestModels.INPUTS);
      assertThat(p.getFeatures()).allSatisfy(f -> {
        assertThat(f.getStale()).isFalse();
        assertThat(f.getImputed()).isFalse();
      });
      assertThat(used(p, "amount").getAsOf()).isEqualTo(e.getEventTime());
      assertThat(used(p, "amount").getAgeMs()).isZero();
      assertThat(used(p, "txn_count_1h").getAgeMs()).isEqualTo(60_000L);
      assertThat(p.getFallbackReason()).isNull();
      assertThat(p.getReasonCodes()).isEmpty();
      assertThat(p.getScoringLatencyMicros()).isPositive();
      assertThat(p.toString()).doesNotContain("alice@example.com").doesNotContain("customerEmail");
      assertThat(h.count(ScoringMetrics.PREDICTIONS, "model_version", "v1", "arm", "CHAMPION")).isEqualTo(1);
      assertThat(h.predictions.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldImputeFallBackOrAbstainByTheArtifactPolicyWhenFeaturesAreStale() {
    try (ScoringHarness h = harness()) {
      // Given v1 (txn_count_1h FALLBACK, amount_max_24h ABSTAIN, others IMPUTE) and one vector per card at T
      h.send(ModelAction.PROMOTE, "v1", null);
      for (final String card : List.of("imp", "fb", "ab")) {
        h.pipe(vector(card, T, values(25)));
      }

      // When events come 20 min (txn_count_10m stale), 2 h (txn_count_1h stale) and 25 h (all 24h features stale)
      h.pipe(txn("imp", 10, T.plus(Duration.ofMinutes(20))));
      h.pipe(txn("fb", 10, T.plus(Duration.ofHours(2))));
      h.pipe(txn("ab", 10, T.plus(Duration.ofHours(25))));

      // Then: impute and score; fall back to the rule; abstain
      final List<Prediction> out = h.predictions.readValuesToList();
      final Prediction imputed = out.get(0);
      assertThat(imputed.getModelVersion()).isEqualTo("v1");
      assertThat(imputed.getScore()).isNotNull();
      assertThat(imputed.getFallbackReason()).isNull();
      assertThat(imputed.getReasonCodes()).containsExactly("STALE_FEATURE:txn_count_10m");
      assertThat(used(imputed, "txn_count_10m").getStale()).isTrue();
      assertThat(used(imputed, "txn_count_10m").getImputed()).isTrue();
      assertThat(used(imputed, "txn_count_10m").getValue())
          .isEqualTo(v1.manifest().features().get(1).imputeValue());
      assertThat(used(imputed, "txn_count_10m").getAsOf()).isNull();

      final Prediction fallback = out.get(1);
      assertThat(fallback.getModelVersion()).isEqualTo(config.fallbackRule().name());
      assertThat(fallback.getArtifactSha256()).isNull();
      assertThat(fallback.getScore()).isEqualTo(config.fallbackRule().score());
      assertThat(fallback.getThreshold()).isEqualTo(config.fallbackRule().threshold());
      assertThat(fallback.getDecision()).isEqualTo(Decision.NEGATIVE);
      assertThat(fallback.getFallbackReason()).isEqualTo("STALE_FEATURE");
      assertThat(fallback.getReasonCodes()).contains("STALE_FEATURE:txn_count_1h", "STALE_FEATURE:txn_count_10m");

      final Prediction abstained = out.get(2);
      assertThat(abstained.getModelVersion()).isEqualTo("v1");
      assertThat(abstained.getDecision()).isEqualTo(Decision.ABSTAIN);
      assertThat(abstained.getScore()).isNull();
      assertThat(abstained.getConfidence()).isNull();
      assertThat(abstained.getFallbackReason()).isEqualTo("STALE_FEATURE");
      assertThat(abstained.getReasonCodes()).contains("STALE_FEATURE:amount_max_24h");

      assertThat(h.count(ScoringMetrics.VALIDATION, "reason", "STALE_FEATURE", "action", "impute")).isEqualTo(4);
      assertThat(h.count(ScoringMetrics.VALIDATION, "reason", "STALE_FEATURE", "action", "fallback")).isEqualTo(2);
      assertThat(h.count(ScoringMetrics.VALIDATION, "reason", "STALE_FEATURE", "action", "abstain")).isEqualTo(1);
      assertThat(h.count(ScoringMetrics.FALLBACKS, "reason", "STALE_FEATURE")).isEqualTo(1);
      assertThat(h.count(ScoringMetrics.ABSTENTIONS, "reason", "STALE_FEATURE")).isEqualTo(1);
      assertThat(h.predictions.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldApplyThePolicyWithReasonCodesWhenValuesAreMissingNonFiniteOutOfRangeOrFromAnotherFeatureSet() {
    try (ScoringHarness h = harness()) {
      // Given v1 and vectors: one missing a value, one with NaN, one out of the training range, one foreign hash
      h.send(ModelAction.PROMOTE, "v1", null);
      final Map<String, Double> missing = new HashMap<>(values(25));
      missing.remove("seconds_since_last_txn");
      h.pipe(vector("missing", T, missing));
      final Map<String, Double> nan = new HashMap<>(values(25));
      nan.put("amount_mean_24h", Double.NaN);
      h.pipe(vector("nan", T, nan));
      final Map<String, Double> huge = new HashMap<>(values(25));
      huge.put("amount_mean_24h", 1e9);
      h.pipe(vector("huge", T, huge));
      h.pipe(vector("foreign", T, values(25), "0".repeat(64)));

      // When each card has an event a minute later
      for (final String card : List.of("missing", "nan", "huge", "foreign")) {
        h.pipe(txn(card, 10, T.plusSeconds(60)));
      }

      // Then the codes name the feature, and the policy decides
      final List<Prediction> out = h.predictions.readValuesToList();
      assertThat(out.get(0).getReasonCodes()).containsExactly("MISSING_FEATURE:seconds_since_last_txn");
      assertThat(used(out.get(0), "seconds_since_last_txn").getImputed()).isTrue();
      assertThat(out.get(0).getScore()).isNotNull();
      assertThat(out.get(1).getReasonCodes()).containsExactly("NON_FINITE_FEATURE:amount_mean_24h");
      assertThat(used(out.get(1), "amount_mean_24h").getValue())
          .isEqualTo(v1.manifest().features().get(3).imputeValue());
      assertThat(out.get(2).getReasonCodes()).containsExactly("OUT_OF_RANGE_FEATURE:amount_mean_24h");
      assertThat(used(out.get(2), "amount_mean_24h").getValue()).isEqualTo(v1.manifest().features().get(3).clipMax());
      // a foreign vector is unusable: txn_count_1h falls back, amount_max_24h abstains, and abstain wins
      assertThat(out.get(3).getDecision()).isEqualTo(Decision.ABSTAIN);
      assertThat(out.get(3).getFallbackReason()).isEqualTo("WRONG_FEATURE_SET_HASH");
      assertThat(out.get(3).getReasonCodes()).contains("WRONG_FEATURE_SET_HASH:txn_count_1h",
          "WRONG_FEATURE_SET_HASH:amount_max_24h");
      assertThat(h.predictions.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldKeepEachEntityInOneArmAndSplitWithinTwoPercentWhenCanaryIsSet() {
    try (ScoringHarness h = harness()) {
      // Given v1 champion and v2 canary at 20%
      h.send(ModelAction.PROMOTE, "v1", null);
      h.send(ModelAction.SET_CANARY, "v2", 20.0);

      // When 10,000 entities send one event each, and the first 500 a second one
      for (int i = 0; i < 10_000; i++) {
        h.pipe(txn("card-" + i, 10, T.plusMillis(i)));
      }
      for (int i = 0; i < 500; i++) {
        h.pipe(txn("card-" + i, 10, T.plusSeconds(60).plusMillis(i)));
      }

      // Then the canary share is 20% +- 2%, canary predictions carry v2, and every entity kept its arm
      final List<Prediction> out = new ArrayList<>(h.predictions.readValuesToList());
      assertThat(out).hasSize(10_500);
      final Map<String, Arm> arms = new HashMap<>();
      long canary = 0;
      for (int i = 0; i < out.size(); i++) {
        final Prediction p = out.get(i);
        if (i < 10_000 && p.getArm() == Arm.CANARY) {
          canary++;
        }
        assertThat(p.getModelVersion()).isEqualTo(p.getArm() == Arm.CANARY ? "v2" : "v1");
        final Arm before = arms.putIfAbsent(p.getEntityId(), p.getArm());
        assertThat(before == null || before == p.getArm()).as("arm of %s", p.getEntityId()).isTrue();
      }
      assertThat(canary / 10_000.0).isBetween(0.18, 0.22);
      assertThat(h.shadow.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldWriteShadowPredictionsOnlyToTheShadowTopicWithTheSameFeaturesWhenShadowIsSet() {
    try (ScoringHarness h = harness()) {
      // Given v1 champion and v2 as shadow
      h.send(ModelAction.PROMOTE, "v1", null);
      h.send(ModelAction.SET_SHADOW, "v2", null);
      h.pipe(vector("card-s", T, values(25)));

      // When an event is scored
      final Transaction e = txn("card-s", 120, T.plusSeconds(30));
      h.pipe(e);

      // Then the champion decides on predictions, and the shadow scored the same vector on predictions-shadow
      final Prediction champion = h.predictions.readValue();
      final Prediction shadow = h.shadow.readValue();
      assertThat(champion.getArm()).isEqualTo(Arm.CHAMPION);
      assertThat(champion.getModelVersion()).isEqualTo("v1");
      assertThat(shadow.getArm()).isEqualTo(Arm.SHADOW);
      assertThat(shadow.getModelVersion()).isEqualTo("v2");
      assertThat(shadow.getArtifactSha256()).isEqualTo(v2.artifactSha256());
      assertThat(shadow.getEventId()).isEqualTo(e.getEventId());
      // (Avro's array equality cannot compare timestamp logical types, so compare the rendered records)
      assertThat(shadow.getFeatures().toString()).isEqualTo(champion.getFeatures().toString());
      assertThat(shadow.getFeatureSetHash()).isEqualTo(champion.getFeatureSetHash());
      assertThat(shadow.getScore()).isNotEqualTo(champion.getScore());
      assertThat(h.predictions.isEmpty()).isTrue();
      assertThat(h.shadow.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldScoreWithThePreviousVersionFromTheNextRecordWhenRollbackArrives() {
    try (ScoringHarness h = harness()) {
      // Given v1 then v2 promoted, and events scored by v2
      h.send(ModelAction.PROMOTE, "v1", null);
      h.send(ModelAction.PROMOTE, "v2", null);
      h.send(ModelAction.SET_CANARY, "v1", 50.0);
      h.pipe(txn("card-r", 10, T));
      h.pipe(txn("card-q", 10, T.plusMillis(1)));

      // When ROLLBACK arrives between two events
      h.send(ModelAction.ROLLBACK, null, null);
      h.pipe(txn("card-r", 10, T.plusMillis(2)));
      h.pipe(txn("card-q", 10, T.plusMillis(3)));

      // Then events before carry v2 (or the canary), events after carry v1 on the champion arm with no canary
      final List<Prediction> out = h.predictions.readValuesToList();
      assertThat(out.subList(0, 2)).allSatisfy(p -> assertThat(p.getModelVersion())
          .isEqualTo(p.getArm() == Arm.CANARY ? "v1" : "v2"));
      assertThat(out.subList(2, 4)).allSatisfy(p -> {
        assertThat(p.getModelVersion()).isEqualTo("v1");
        assertThat(p.getArm()).isEqualTo(Arm.CHAMPION);
      });
      // and each command was audited with the control offset and the event offset where it took effect
      final List<Alert> audits = h.alerts.readValuesToList();
      assertThat(audits).extracting(Alert::getStatistic).containsExactly("PROMOTE", "PROMOTE", "SET_CANARY",
          "ROLLBACK");
      assertThat(audits).allSatisfy(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.AUDIT));
      final Alert rollback = audits.get(3);
      assertThat(rollback.getModelVersion()).isEqualTo("v1");
      assertThat(rollback.getAttributes()).containsEntry("controlTopic", "model-control")
          .containsEntry("controlOffset", "3").containsEntry("effectiveTopic", "events")
          .containsEntry("effectiveOffset", "2").containsEntry("champion", "v1").containsEntry("canary", "");
      assertThat(audits.get(0).getAttributes()).containsEntry("controlOffset", "0")
          .containsEntry("effectiveOffset", "0");
      assertThat(h.alerts.isEmpty()).isTrue();
      // and the active-version gauges follow
      assertThat(h.meters.get(ScoringMetrics.ACTIVE_VERSION).tags("arm", "CHAMPION", "model_version", "v1").gauge()
          .value()).isEqualTo(1);
      assertThat(h.meters.get(ScoringMetrics.ACTIVE_VERSION).tags("arm", "CHAMPION", "model_version", "v2").gauge()
          .value()).isZero();
      assertThat(h.meters.get(ScoringMetrics.ACTIVE_VERSION).tags("arm", "CANARY", "model_version", "v1").gauge()
          .value()).isZero();
    }
  }

  @Test
  void shouldScoreWithTheRegistryChampionWhenNoCommandWasSent() throws Exception {
    // Given a registry whose aliases already name v1 champion, and no model-control command
    final ModelRegistry other = TestModels.registry(tmp.resolve("registry-with-champion"));
    other.register(v1, "test", "copy");
    final Gate gate = Gate.parse("auc min 0.5");
    other.promote(TestModels.MODEL, "v1",
        new GateResult(List.of(new GateResult.Outcome(gate, GateResult.Status.PASS, 0.9, 0.5, "ok"))), "test", "it");
    try (ModelCatalog otherCatalog = new ModelCatalog(other, TestModels.MODEL, TestModels.FEATURES.hash());
        ScoringHarness h = new ScoringHarness(otherCatalog, config, stateDir)) {
      // When an event arrives
      h.pipe(txn("card-i", 10, T));

      // Then v1 scores it, and nothing was audited
      assertThat(h.predictions.readValue().getModelVersion()).isEqualTo("v1");
      assertThat(h.alerts.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldRefuseACorruptArtifactAndKeepTheChampionScoringWhenPromoted() {
    try (ScoringHarness h = harness()) {
      // Given v1 champion
      h.send(ModelAction.PROMOTE, "v1", null);
      h.pipe(txn("card-c", 10, T));

      // When v3, whose model file no longer matches its checksum, is promoted, and events keep coming
      h.send(ModelAction.PROMOTE, "v3", null);
      h.pipe(txn("card-c", 10, T.plusSeconds(1)));

      // Then the promotion is refused with a critical alert, and v1 scores on
      final List<Prediction> out = h.predictions.readValuesToList();
      assertThat(out).extracting(Prediction::getModelVersion).containsExactly("v1", "v1");
      final List<Alert> alerts = h.alerts.readValuesToList();
      assertThat(alerts).hasSize(2);
      final Alert refused = alerts.get(1);
      assertThat(refused.getStatus()).isEqualTo(AlertStatus.FIRING);
      assertThat(refused.getSeverity()).isEqualTo(Severity.CRITICAL);
      assertThat(refused.getModelVersion()).isEqualTo("v3");
      assertThat(refused.getMessage()).contains("refused").contains("v3").contains("model.json");
      assertThat(refused.getAttributes()).containsEntry("champion", "v1").containsEntry("controlOffset", "1");
      assertThat(h.count(ScoringMetrics.LOAD_FAILURES, "model_version", "v3")).isEqualTo(1);
      assertThat(h.count(ScoringMetrics.COMMANDS, "action", "PROMOTE", "outcome", "refused")).isEqualTo(1);
    }
  }

  @Test
  void shouldDeadLetterEventsItCannotScoreWhenBytesKeyOrContractAreBad() {
    try (ScoringHarness h = harness()) {
      // Given v1 champion
      h.send(ModelAction.PROMOTE, "v1", null);
      final Transaction ok = txn("card-d", 10, T);

      // When garbage, a null key, a key that is not the entity, a negative amount and a valid event arrive
      h.rawEvents.pipeInput("card-d".getBytes(), new byte[] {1, 2, 3}, T.toEpochMilli());
      h.rawEvents.pipeInput(null, h.bytes(ok), T.toEpochMilli());
      h.rawEvents.pipeInput("other".getBytes(), h.bytes(ok), T.toEpochMilli());
      h.pipe(txn("card-d", -5, T));
      h.pipe(ok);

      // Then four dead letters with reasons, and one prediction
      final List<DeadLetter> dls = h.deadLetters.readValuesToList();
      assertThat(dls).extracting(DeadLetter::getReasonCode).containsExactly("WRONG_MAGIC_BYTE", "NULL_KEY",
          "CONTRACT_VIOLATION", "OUT_OF_RANGE");
      assertThat(dls.get(3).getReason()).contains("amount");
      assertThat(dls).allSatisfy(d -> assertThat(d.getReason()).doesNotContain("alice@example.com"));
      assertThat(h.predictions.readValuesToList()).extracting(Prediction::getEventId)
          .containsExactly(ok.getEventId());
    }
  }

  @Test
  void shouldDeadLetterAnEventTooLargeForItsStoresWithoutItsBytesAndScoreTheNextWhenOneExceedsTheLimit() {
    try (ScoringHarness h = harness()) {
      // Given v1 champion and an event whose merchant id makes it larger than the scorer keeps
      h.send(ModelAction.PROMOTE, "v1", null);
      final Transaction huge = Transaction.newBuilder(txn("card-h", 10, T))
          .setMerchantId("m".repeat(ScoringTopology.MAX_EVENT_BYTES)).build();
      final Transaction ok = txn("card-h", 12, T.plusSeconds(1));

      // When it arrives, then a valid event
      h.pipe(huge);
      h.pipe(ok);

      // Then the large one is dead-lettered TOO_LARGE without its bytes, and the next one is scored
      final List<DeadLetter> dls = h.deadLetters.readValuesToList();
      assertThat(dls).extracting(DeadLetter::getReasonCode).containsExactly("TOO_LARGE");
      assertThat(dls.get(0).getReason()).contains(Integer.toString(ScoringTopology.MAX_EVENT_BYTES));
      assertThat(dls.get(0).getOriginalValue()).isNull();
      assertThat(h.predictions.readValuesToList()).extracting(Prediction::getEventId)
          .containsExactly(ok.getEventId());
    }
  }
}
