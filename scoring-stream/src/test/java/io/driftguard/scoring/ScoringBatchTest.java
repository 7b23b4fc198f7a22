package io.driftguard.scoring;

import static io.driftguard.scoring.ScoringHarness.txn;
import static io.driftguard.scoring.ScoringHarness.values;
import static io.driftguard.scoring.ScoringHarness.vector;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.Alert;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.model.registry.ModelRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Micro-batching in the scoring processor (TopologyTestDriver): same predictions, same order, same switch points. */
class ScoringBatchTest {
  @TempDir
  static Path tmp;
  static ModelRegistry registry;
  static ModelCatalog catalog;

  @TempDir
  Path stateDir;

  private static final Instant T = TestModels.T0.plus(Duration.ofDays(3));
  private static final Duration LINGER = Duration.ofMillis(50);

  @BeforeAll
  static void trainAndRegister() throws Exception {
    registry = TestModels.registry(tmp.resolve("registry"));
    registry.register(TestModels.train(tmp, "v1", 11), "test", "first");
    registry.register(TestModels.train(tmp, "v2", 22), "test", "second");
    catalog = new ModelCatalog(registry, TestModels.MODEL, TestModels.FEATURES.hash());
  }

  @AfterAll
  static void closeCatalog() {
    catalog.close();
  }

  private static ScoringConfig config(final int batchSize) {
    return new ScoringConfig(TestModels.MODEL, registry.root(), null, Duration.ofSeconds(5), null, null, null,
        Duration.ZERO, null, batchSize, LINGER);
  }

  /** Vectors for 6 cards (one card without), then 10 events over them. */
  private static void feed(final ScoringHarness h, final List<Transaction> events) {
    h.send(ModelAction.PROMOTE, "v1", null);
    h.send(ModelAction.SET_CANARY, "v2", 50.0);
    h.send(ModelAction.SET_SHADOW, "v2", null);
    for (int c = 0; c < 6; c++) {
      h.pipe(vector("card-" + c, T.minus(Duration.ofMinutes(5)), values(10.0 + c)));
    }
    events.forEach(h::pipe);
  }

  private static List<String> comparable(final List<Prediction> predictions) {
    final List<String> out = new ArrayList<>();
    for (final Prediction p : predictions) {
      out.add(p.getEventId() + " " + p.getModelVersion() + " " + p.getArm() + " " + p.getScore() + " "
          + p.getDecision() + " " + p.getFeatures() + " " + p.getReasonCodes() + " " + p.getFallbackReason());
    }
    return out;
  }

  @Test
  void shouldGiveTheSamePredictionsInArrivalOrderAsOneByOneWhenEventsAreScoredInMicroBatches() {
    // Given 10 events over 7 cards (one without a vector), a 50% canary and a shadow
    final List<Transaction> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      events.add(txn("card-" + (i % 7), 10.0 + 7 * i, T.plusMillis(i)));
    }
    final List<Prediction> expected;
    final List<Prediction> expectedShadow;
    try (ScoringHarness one = new ScoringHarness(catalog, config(1), stateDir.resolve("one"))) {
      feed(one, events);
      expected = one.predictions.readValuesToList();
      expectedShadow = one.shadow.readValuesToList();
    }

    try (ScoringHarness h = new ScoringHarness(catalog, config(4), stateDir.resolve("batched"))) {
      // When they are scored in batches of 4
      feed(h, events);

      // Then two full batches came out at once, in arrival order, and the last 2 events wait for the linger
      final List<Prediction> firstEight = h.predictions.readValuesToList();
      assertThat(firstEight).hasSize(8);
      h.driver.advanceWallClockTime(LINGER);
      final List<Prediction> all = new ArrayList<>(firstEight);
      all.addAll(h.predictions.readValuesToList());

      // and every prediction and shadow prediction equals one-by-one scoring's
      assertThat(comparable(all)).containsExactlyElementsOf(comparable(expected));
      assertThat(comparable(h.shadow.readValuesToList())).containsExactlyElementsOf(comparable(expectedShadow));
      assertThat(expected).hasSize(10);
      assertThat(expected).extracting(Prediction::getModelVersion).contains("v1", "v2");
      assertThat(h.meters.get(ScoringMetrics.BATCH_SIZE).summary().count()).isEqualTo(3);
      assertThat(h.meters.get(ScoringMetrics.BATCH_SIZE).summary().totalAmount()).isEqualTo(10);
      assertThat(h.predictions.isEmpty()).isTrue();
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldScoreTheWaitingBatchWithTheOldVersionWhenACommandArrivesMidBatch() {
    try (ScoringHarness h = new ScoringHarness(catalog, config(100), stateDir)) {
      // Given v1 champion and two events waiting in a batch
      h.send(ModelAction.PROMOTE, "v1", null);
      h.pipe(txn("card-a", 10, T));
      h.pipe(txn("card-b", 10, T.plusMillis(1)));
      assertThat(h.predictions.isEmpty()).isTrue();

      // When PROMOTE v2 arrives, then a third event
      h.send(ModelAction.PROMOTE, "v2", null);
      h.pipe(txn("card-c", 10, T.plusMillis(2)));

      // Then the two waiting events are scored by v1 as the third arrives, and the third by v2 after the linger
      assertThat(h.predictions.readValuesToList()).extracting(Prediction::getModelVersion)
          .containsExactly("v1", "v1");
      h.driver.advanceWallClockTime(LINGER);
      assertThat(h.predictions.readValuesToList()).extracting(Prediction::getModelVersion).containsExactly("v2");
      // and the switch is audited at the third event's offset
      final List<Alert> audits = h.alerts.readValuesToList();
      assertThat(audits).hasSize(2);
      assertThat(audits.get(1).getAttributes()).containsEntry("effectiveOffset", "2").containsEntry("champion", "v2");
      assertThat(h.predictions.isEmpty()).isTrue();
    }
  }
}
