package io.driftguard.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Label;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.avro.UsedFeature;
import io.driftguard.features.FeatureReplay;
import io.driftguard.model.Dataset;
import io.driftguard.model.dataset.TrainingSet;
import io.driftguard.model.dataset.TrainingSetBuilder;
import io.driftguard.model.dataset.TrainingSetConfig;
import io.driftguard.model.registry.ModelRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity: the features a prediction records are the offline training-set builder's features for the same event,
 * with events arriving out of order and each vector arriving after the event that caused it.
 */
class TrainingServingParityTest {
  @TempDir
  Path tmp;

  @Test
  void shouldRecordTheTrainingSetBuilderFeaturesWhenScoringTheSameEvents() throws Exception {
    // Given 600 events of 25 cards over two days, some arriving up to 30 min late, and their replayed vectors
    final SplittableRandom rnd = new SplittableRandom(5);
    final Instant start = ScoringHarness.WALL.minus(Duration.ofDays(3));
    final List<Transaction> events = new ArrayList<>();
    Instant t = start;
    for (int i = 0; i < 600; i++) {
      t = t.plusSeconds(rnd.nextInt(0, 600));
      final Instant at = rnd.nextInt(10) == 0 ? t.minusSeconds(rnd.nextInt(0, 1800)) : t;
      events.add(ScoringHarness.txn("card-" + rnd.nextInt(25), Math.exp(3 + rnd.nextGaussian()), at));
    }
    final Clock clock = Clock.fixed(ScoringHarness.WALL, ZoneOffset.UTC);
    final Map<String, FeatureVector> vectorOf = new HashMap<>();
    FeatureReplay.builder(TestModels.FEATURES).clock(clock).build().run(events).vectors()
        .forEach(v -> vectorOf.put(v.getEventId(), v));
    final ModelRegistry registry = TestModels.registry(tmp.resolve("registry"));
    registry.register(TestModels.train(tmp, "v1", 11), "test", "parity");
    final ScoringConfig config = new ScoringConfig(TestModels.MODEL, registry.root(), null, Duration.ofSeconds(5), null,
        null, null, Duration.ZERO, null);

    // When each event is scored, its own vector arriving just after it
    final List<Prediction> predictions;
    try (ModelCatalog catalog = new ModelCatalog(registry, TestModels.MODEL, TestModels.FEATURES.hash());
        ScoringHarness h = new ScoringHarness(catalog, config, tmp.resolve("state"))) {
      h.send(ModelAction.PROMOTE, "v1", null);
      for (final Transaction e : events) {
        h.pipe(e);
        final FeatureVector v = vectorOf.get(e.getEventId());
        if (v != null) {
          h.pipe(v);
        }
      }
      // The last micro-batch (default size) is scored at the linger punctuation.
      h.driver.advanceWallClockTime(config.batchLinger());
      predictions = new ArrayList<>(h.predictions.readValuesToList());
    }

    // and the builder makes the training set of the same events (all labelled)
    final List<Label> labels = events.stream().map(e -> Label.newBuilder().setEventId(e.getEventId())
        .setEntityId(e.getCardId()).setLabel(0).setLabelTime(ScoringHarness.WALL.minusSeconds(1)).build()).toList();
    final TrainingSet set = TrainingSetBuilder.create(TestModels.FEATURES,
        TrainingSetConfig.asOf(ScoringHarness.WALL).withEventFields(List.of("amount"))).build(events, labels);
    final Dataset data = set.dataset();

    // Then every input the model got as-is equals the builder's value for that event
    assertThat(predictions).hasSize(events.size());
    final Map<String, Integer> rowOf = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      rowOf.put(data.eventIds().get(i), i);
    }
    int compared = 0;
    int rows = 0;
    for (final Prediction p : predictions) {
      final Integer index = rowOf.get(p.getEventId());
      if (index == null) {
        // LATE for the feature stream: the scorer still answers, the training set leaves the event out
        assertThat(vectorOf).doesNotContainKey(p.getEventId());
        continue;
      }
      rows++;
      final double[] row = data.rows()[index];
      for (final UsedFeature f : p.getFeatures()) {
        if (f.getImputed() || f.getStale()) {
          continue;
        }
        final double expected = row[data.featureNames().indexOf(f.getName())];
        if (Double.isNaN(expected)) {
          assertThat(f.getValue()).as("%s of %s", f.getName(), p.getEventId()).isNull();
        } else {
          assertThat(f.getValue()).as("%s of %s", f.getName(), p.getEventId()).isEqualTo(expected);
        }
        compared++;
      }
    }
    assertThat(rows).isEqualTo(data.size()).isGreaterThan(events.size() * 8 / 10);
    assertThat(compared).isGreaterThan(rows * 3);
  }
}
