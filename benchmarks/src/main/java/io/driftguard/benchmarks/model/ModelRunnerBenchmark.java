package io.driftguard.benchmarks.model;

import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.serving.ModelRunner;
import io.driftguard.model.train.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scoring cost per row: {@link ModelRunner} (DJL XGBoost, with the bundle's preprocessing and calibration) against
 * xgboost4j's {@code Booster.predict} on a {@code DMatrix}, the path a raw xgboost4j user takes. Same model file, same
 * rows; both sides build their native matrix on every call, as a stream processor must.
 *
 * <p>Fairness: xgboost4j is given the rows already preprocessed (imputed and clipped by the bundle's own
 * {@code Preprocessor} at setup), so both sides feed the booster identical values; setup checks that both return the
 * same raw probabilities. The ModelRunner side therefore also pays for preprocessing and calibration, which is part of
 * what it is for. Times are per row ({@code @OperationsPerInvocation}), so single and batched results compare
 * directly. The target (DESIGN.md "Performance") is ModelRunner/xgboost4j &lt;= 1.1 for the same batch size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m", "-XX:+UseSerialGC"})
public class ModelRunnerBenchmark {
  static final int BATCH = 256;
  static final int POOL = 4096;
  private static final int TRAIN_ROWS = 20_000;

  private Path workDir;
  private ModelRunner runner;
  private ModelRunner.Session session;
  private Booster booster;
  private int featureCount;
  /** Raw rows, as the scoring stream hands them to ModelRunner. */
  private double[][] rawRows;
  /** The same rows after the bundle's preprocessing, as xgboost4j sees them. */
  private double[][] modelRows;
  private double[][][] rawBatches;
  private double[][][] modelBatches;
  private int next;
  private int nextBatch;

  @Setup(Level.Trial)
  public void setUp() throws IOException, XGBoostError {
    workDir = Files.createTempDirectory("driftguard-bench-model-");
    final TrainingResult trained = BenchModel.train(workDir.resolve("bundle"), TRAIN_ROWS, 42);
    final ArtifactBundle bundle = trained.bundle();
    runner = ModelRunner.open(bundle);
    session = runner.newSession();
    booster = XGBoost.loadModel(bundle.modelFile().toString());
    featureCount = bundle.preprocessor().featureCount();

    // Rows the model has not seen, from another seed.
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

  /** Both paths must score the same model on the same inputs, else the comparison means nothing. */
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

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
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

  @Benchmark
  public double modelRunnerSingleRow() {
    next = (next + 1) & (POOL - 1);
    return session.score(rawRows[next]);
  }

  @Benchmark
  public float xgboost4jSingleRow() throws XGBoostError {
    next = (next + 1) & (POOL - 1);
    return predict(new double[][] {modelRows[next]})[0][0];
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public double[] modelRunnerBatch256() {
    nextBatch = (nextBatch + 1) % rawBatches.length;
    return session.score(rawBatches[nextBatch]);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public float[][] xgboost4jBatch256() throws XGBoostError {
    nextBatch = (nextBatch + 1) % modelBatches.length;
    return predict(modelBatches[nextBatch]);
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
}
