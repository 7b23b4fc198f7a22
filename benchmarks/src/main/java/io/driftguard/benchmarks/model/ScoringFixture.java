package io.driftguard.benchmarks.model;

import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.serving.ModelRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One trained bundle opened two ways, {@link ModelRunner} and a raw xgboost4j {@link Booster} on the same model file,
 * plus a pool of unseen rows in both forms: raw (what the scoring stream hands ModelRunner) and preprocessed by the
 * bundle's own {@code Preprocessor} (so xgboost4j sees exactly the values the runner feeds the booster). Construction
 * checks that both paths return the same raw probabilities, else a comparison would mean nothing.
 */
final class ScoringFixture implements AutoCloseable {
  static final int BATCH = 256;
  static final int POOL = 4096;
  private static final int TRAIN_ROWS = 20_000;

  private final Path workDir;
  private final ModelRunner runner;
  private final ModelRunner.Session session;
  private final Booster booster;
  private final int featureCount;
  private final double[][] rawRows;
  private final double[][] modelRows;
  private final double[][][] rawBatches;
  private final double[][][] modelBatches;

  ScoringFixture() throws IOException, XGBoostError {
    workDir = Files.createTempDirectory("driftguard-bench-model-");
    final ArtifactBundle bundle = BenchModel.train(workDir.resolve("bundle"), TRAIN_ROWS, 42).bundle();
    runner = ModelRunner.open(bundle);
    session = runner.newSession();
    booster = XGBoost.loadModel(bundle.modelFile().toString());
    featureCount = bundle.preprocessor().featureCount();
    rawRows = BenchModel.rows(POOL, 4242);
    modelRows = new double[POOL][];
    for (int i = 0; i < POOL; i++) {
      modelRows[i] = bundle.preprocessor().preprocess(rawRows[i]);
    }
    rawBatches = batches(rawRows);
    modelBatches = batches(modelRows);
    checkSameScores();
  }

  private static double[][][] batches(final double[][] rows) {
    final double[][][] out = new double[rows.length / BATCH][][];
    for (int b = 0; b < out.length; b++) {
      out[b] = new double[BATCH][];
      System.arraycopy(rows, b * BATCH, out[b], 0, BATCH);
    }
    return out;
  }

  private void checkSameScores() throws XGBoostError {
    final float[] viaRunner = session.rawProbabilities(rawRows);
    final float[][] viaBooster = predict(modelRows);
    for (int i = 0; i < POOL; i++) {
      if (Math.abs(viaRunner[i] - viaBooster[i][0]) > 1e-6f) {
        throw new IllegalStateException("row " + i + ": ModelRunner raw probability " + viaRunner[i]
            + " differs from xgboost4j " + viaBooster[i][0] + "; the two paths do not score the same model");
      }
    }
  }

  int batchCount() {
    return rawBatches.length;
  }

  /** Row {@code i} (mod pool) through ModelRunner: preprocessing, DJL, calibration. */
  double runnerRow(final int i) {
    return session.score(rawRows[i & (POOL - 1)]);
  }

  /** The same row, preprocessed, through xgboost4j. */
  float xgboostRow(final int i) throws XGBoostError {
    return predict(new double[][] {modelRows[i & (POOL - 1)]})[0][0];
  }

  double[] runnerBatch(final int b) {
    return session.score(rawBatches[b % rawBatches.length]);
  }

  float[][] xgboostBatch(final int b) throws XGBoostError {
    return predict(modelBatches[b % modelBatches.length]);
  }

  /** What a raw xgboost4j caller writes: flatten to float, build a dense DMatrix (NaN = missing), predict, free. */
  private float[][] predict(final double[][] rows) throws XGBoostError {
    final float[] flat = new float[rows.length * featureCount];
    int k = 0;
    for (final double[] row : rows) {
      for (int c = 0; c < featureCount; c++) {
        flat[k++] = (float) row[c];
      }
    }
    final DMatrix matrix = new DMatrix(flat, rows.length, featureCount, Float.NaN);
    try {
      return booster.predict(matrix);
    } finally {
      matrix.dispose();
    }
  }

  @Override
  public void close() throws IOException {
    session.close();
    runner.close();
    booster.dispose();
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
