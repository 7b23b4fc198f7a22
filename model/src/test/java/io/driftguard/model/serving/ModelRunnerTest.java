package io.driftguard.model.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.model.Dataset;
import io.driftguard.model.TestData;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.bundle.BundleVerificationException;
import io.driftguard.model.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRunnerTest {
  @TempDir
  static Path tmp;
  static ArtifactBundle bundle;
  static double[][] rows;

  @BeforeAll
  static void trainOnce() throws Exception {
    final TrainingResult result = TestData.train(tmp.resolve("bundle"), "v1");
    bundle = result.bundle();
    // rows inside the training range without missing values: preprocessing leaves them unchanged
    final Dataset fresh = TestData.dataset(300, 99);
    rows = Arrays.stream(fresh.rows())
        .filter(r -> Arrays.stream(r).noneMatch(Double::isNaN))
        .filter(r -> r[0] <= bundle.manifest().features().get(0).clipMax()
            && r[0] >= bundle.manifest().features().get(0).clipMin())
        .toArray(double[][]::new);
  }

  @Test
  void shouldMatchRawXgboostPredictionsWhenScoringThroughDjl() throws Exception {
    // Given the same model file loaded by raw xgboost4j
    final Booster booster = XGBoost.loadModel(bundle.modelFile().toString());
    final float[] flat = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < rows[i].length; j++) {
        flat[i * rows[i].length + j] = (float) rows[i][j];
      }
    }
    final DMatrix matrix = new DMatrix(flat, rows.length, rows[0].length, Float.NaN);
    final float[][] expected = booster.predict(matrix);

    // When the DJL runner scores the same rows
    final float[] actual;
    try (ModelRunner runner = ModelRunner.open(bundle); ModelRunner.Session session = runner.newSession()) {
      actual = session.rawProbabilities(rows);
    } finally {
      matrix.dispose();
      booster.dispose();
    }

    // Then every probability agrees
    assertThat(actual).hasSize(rows.length);
    for (int i = 0; i < rows.length; i++) {
      assertThat((double) actual[i]).isCloseTo(expected[i][0], within(1e-6));
    }
    assertThat(rows.length).isGreaterThan(200);
  }

  @Test
  void shouldApplyCalibrationAndScoreSingleRowsLikeBatchesWhenScoring() {
    // Given a runner
    try (ModelRunner runner = ModelRunner.open(bundle); ModelRunner.Session session = runner.newSession()) {
      // When scoring a batch and each row alone
      final float[] raw = session.rawProbabilities(rows);
      final double[] batch = session.score(rows);

      // Then scores are calibrated raw probabilities, and single-row scores equal batch scores
      for (int i = 0; i < rows.length; i++) {
        assertThat(batch[i]).isCloseTo(bundle.manifest().calibration().apply(raw[i]), within(1e-12));
        assertThat(session.score(rows[i])).isCloseTo(batch[i], within(1e-12));
      }
    }
  }

  @Test
  void shouldImputeAndClipWhenInputsAreMissingOrOutOfRange() {
    // Given a row with a missing amount and a row with an extreme amount
    final double mean = bundle.manifest().features().get(0).imputeValue();
    final double max = bundle.manifest().features().get(0).clipMax();
    final double[] missing = rows[0].clone();
    missing[0] = Double.NaN;
    final double[] imputed = rows[0].clone();
    imputed[0] = mean;
    final double[] extreme = rows[0].clone();
    extreme[0] = max * 1000;
    final double[] clipped = rows[0].clone();
    clipped[0] = max;

    try (ModelRunner runner = ModelRunner.open(bundle); ModelRunner.Session session = runner.newSession()) {
      // When scoring them
      // Then they score exactly like their preprocessed versions
      assertThat(session.score(missing)).isEqualTo(session.score(imputed));
      assertThat(session.score(extreme)).isEqualTo(session.score(clipped));
    }
  }

  @Test
  void shouldRefuseToOpenWhenModelFileWasTamperedAfterVerification() throws Exception {
    // Given a verified copy of the bundle whose model file is then modified
    final Path copy = tmp.resolve("tampered-after-load");
    Files.createDirectories(copy);
    try (var files = Files.list(bundle.dir())) {
      for (final Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    final ArtifactBundle verified = ArtifactBundle.load(copy);
    Files.writeString(copy.resolve("model.json"), " ", java.nio.file.StandardOpenOption.APPEND);

    // When opening it, Then the runner refuses before DJL reads the model
    assertThatThrownBy(() -> ModelRunner.open(verified))
        .isInstanceOf(BundleVerificationException.class)
        .hasMessageContaining("model.json");
  }

  @Test
  void shouldRejectRowsOfTheWrongWidthWhenScoring() {
    try (ModelRunner runner = ModelRunner.open(bundle); ModelRunner.Session session = runner.newSession()) {
      assertThatThrownBy(() -> session.score(new double[] {1, 2}))
          .hasMessageContaining("must have 5 features");
    }
  }

  @Test
  void shouldGiveEveryThreadTheSameScoresWhenEachUsesItsOwnSession() throws Exception {
    // Given one runner and the single-threaded scores
    try (ModelRunner runner = ModelRunner.open(bundle)) {
      final double[] expected;
      try (ModelRunner.Session s = runner.newSession()) {
        expected = s.score(rows);
      }
      // When four threads score concurrently, each through its own session
      final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        final java.util.List<java.util.concurrent.Future<double[]>> futures = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
          futures.add(pool.submit(() -> {
            try (ModelRunner.Session s = runner.newSession()) {
              double[] last = null;
              for (int k = 0; k < 5; k++) {
                final double[] out = new double[rows.length];
                for (int i = 0; i < rows.length; i++) {
                  out[i] = s.score(rows[i]);
                }
                last = out;
              }
              return last;
            }
          }));
        }
        // Then every thread sees exactly the single-threaded scores
        for (final java.util.concurrent.Future<double[]> f : futures) {
          assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).containsExactly(expected);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void shouldRecordTheEngineThatActuallyServesWhenBundleIsWritten() {
    // Given the engine DJL loads, Then the manifest names its XGBoost and DJL versions
    try (ModelRunner runner = ModelRunner.open(bundle)) {
      assertThat(ai.djl.engine.Engine.getEngine("XGBoost").getVersion())
          .isEqualTo(runner.manifest().engine().xgboostVersion());
      assertThat(runner.manifest().engine().servingVersion()).isEqualTo(ai.djl.engine.Engine.getDjlVersion());
    }
  }

  @Test
  void shouldFeedMeasuredLatencyIntoTheGatesWhenProbing() {
    try (ModelRunner runner = ModelRunner.open(bundle); ModelRunner.Session session = runner.newSession()) {
      // When probing latency
      final java.util.Map<String, Double> latency = LatencyProbe.measure(session, rows, 50);

      // Then percentiles are ordered, and a latency gate can be judged with them
      assertThat(latency.get("p50_latency_ms")).isPositive().isLessThanOrEqualTo(latency.get("p99_latency_ms"));
      assertThat(latency.get("p99_latency_ms")).isLessThanOrEqualTo(latency.get("max_latency_ms"));
      assertThat(latency.get("batch_latency_us_per_row")).isPositive();
      final var withoutLatency = io.driftguard.model.gates.Gates.evaluateCandidate(bundle, null, java.util.Map.of());
      assertThat(withoutLatency.outcomes()).hasSize(3);
      final var gates = io.driftguard.model.gates.Gates.evaluate(
          io.driftguard.model.gates.Gates.parseAll(java.util.List.of("p99_latency_ms max 1000")), latency, null, null);
      assertThat(gates.passed()).isTrue();
    }
  }

  @Test
  void shouldUseNearestRankWhenComputingPercentiles() {
    final long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(LatencyProbe.percentile(sorted, 0.5)).isEqualTo(5);
    assertThat(LatencyProbe.percentile(sorted, 0.99)).isEqualTo(10);
  }
}
