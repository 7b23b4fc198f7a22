package io.driftguard.benchmarks.model;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scoring cost per row: {@link io.driftguard.model.serving.ModelRunner} (DJL XGBoost, with the bundle's preprocessing
 * and calibration) against xgboost4j's {@code Booster.predict} on a {@code DMatrix}, the path a raw xgboost4j user
 * takes. Same model file, same rows (see {@link ScoringFixture}); both sides build their native matrix on every call,
 * as a stream processor must. The ModelRunner side also pays for preprocessing and calibration, which is part of what
 * it is for. Times are per row ({@code @OperationsPerInvocation}), so single and batched results compare directly.
 * The target (DESIGN.md "Performance") is ModelRunner/xgboost4j &lt;= 1.1 at the same batch size.
 *
 * <p>Neither side sets XGBoost's thread count (DJL exposes no such option), so both use OpenMP's default of one thread
 * per core unless {@code OMP_NUM_THREADS} is set; run it both ways, see BENCHMARKS.md. On a noisy machine the four
 * methods run minutes apart; {@link PairedScoringComparison} gives a drift-cancelling ratio from one JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m", "-XX:+UseSerialGC"})
public class ModelRunnerBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRunnerBenchmark.class);
  static final int BATCH = ScoringFixture.BATCH;

  private ScoringFixture fixture;
  private int next;
  private int nextBatch;

  @Setup(Level.Trial)
  public void setUp() throws IOException, XGBoostError {
    fixture = new ScoringFixture();
    // XGBoost's OpenMP pool size decides single-row latency on a busy machine; record it with the results.
    LOG.info("OMP_NUM_THREADS={} (unset: one OpenMP thread per core), {} CPUs",
        System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), Runtime.getRuntime().availableProcessors());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    fixture.close();
  }

  @Benchmark
  public double modelRunnerSingleRow() {
    return fixture.runnerRow(next++);
  }

  @Benchmark
  public float xgboost4jSingleRow() throws XGBoostError {
    return fixture.xgboostRow(next++);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public double[] modelRunnerBatch256() {
    return fixture.runnerBatch(nextBatch++ & Integer.MAX_VALUE);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public float[][] xgboost4jBatch256() throws XGBoostError {
    return fixture.xgboostBatch(nextBatch++ & Integer.MAX_VALUE);
  }
}
