package io.driftguard.benchmarks.drift;

import io.driftguard.drift.stats.DriftEvaluator;
import io.driftguard.drift.stats.DriftStatistics;
import io.driftguard.drift.stats.DriftThresholds;
import io.driftguard.drift.stats.KsResult;
import io.driftguard.drift.stats.NumericReference;
import io.driftguard.drift.stats.NumericWindowState;
import io.driftguard.drift.stats.ReferenceBins;
import io.driftguard.drift.stats.ReferenceDistribution;
import io.driftguard.drift.stats.StatisticVerdict;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the drift monitor's per-record work ({@link NumericWindowState#update(double)}: bin count, KLL sketch, moments)
 * and of its per-window evaluation (PSI alone, KS alone, and the full {@link DriftEvaluator} verdict list) against a
 * 10-bin reference built from a standard normal sample. The window is filled from a shifted normal, so the statistics
 * have real drift to find.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m", "-XX:+UseSerialGC", "--add-modules", "jdk.incubator.foreign"})
public class DriftStatisticsBenchmark {
  private static final int UPDATES_PER_OP = 1024;
  private static final int REFERENCE_SAMPLE = 100_000;
  private static final int BINS = 10;

  private NumericReference reference;
  private DriftEvaluator evaluator;
  private NumericWindowState updatingWindow;
  private double[] values;
  private int cursor;

  /** A window filled once, for the evaluation benchmarks only (so the update benchmark is not repeated per size). */
  @State(Scope.Thread)
  public static class FilledWindow {
    /** A small and a large window: the KLL sketch retains O(k log n) items, so KS cost grows slowly with n. */
    @Param({"1000", "100000"})
    public int windowSize;

    private NumericWindowState window;

    @Setup(Level.Trial)
    public void fill(final DriftStatisticsBenchmark bench) {
      window = NumericWindowState.empty(bench.reference.bins());
      for (int i = 0; i < windowSize; i++) {
        window.update(bench.values[i & (bench.values.length - 1)]);
      }
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    final SplittableRandom rnd = new SplittableRandom(7);
    final double[] sample = new double[REFERENCE_SAMPLE];
    final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(NumericWindowState.DEFAULT_K);
    for (int i = 0; i < sample.length; i++) {
      sample[i] = rnd.nextGaussian();
      sketch.update(sample[i]);
    }
    Arrays.sort(sample);
    final double[] edges = new double[BINS - 1];
    for (int i = 1; i < BINS; i++) {
      edges[i - 1] = sample[i * sample.length / BINS];
    }
    final double[] proportions = new double[BINS];
    Arrays.fill(proportions, 1.0 / BINS);
    final ReferenceBins bins = new ReferenceBins(edges, proportions);
    reference = new NumericReference(bins, ReferenceDistribution.ofSketch(sketch), 1.0, 0.0);
    evaluator = new DriftEvaluator(DriftThresholds.defaults());

    values = new double[1 << 16];
    for (int i = 0; i < values.length; i++) {
      values[i] = 0.3 + 1.1 * rnd.nextGaussian();
    }
    updatingWindow = NumericWindowState.empty(bins);
  }

  /** Per-record cost; the window keeps growing through the run, as a long window in the monitor does. */
  @Benchmark
  @OperationsPerInvocation(UPDATES_PER_OP)
  public NumericWindowState update() {
    NumericWindowState w = updatingWindow;
    for (int i = 0; i < UPDATES_PER_OP; i++) {
      cursor = (cursor + 1) & (values.length - 1);
      w = w.update(values[cursor]);
    }
    return w;
  }

  @Benchmark
  public double psi(final FilledWindow filled) {
    return DriftStatistics.psi(reference.bins(), filled.window);
  }

  @Benchmark
  public KsResult ks(final FilledWindow filled) {
    return DriftStatistics.ks(reference.distribution(), filled.window);
  }

  @Benchmark
  public List<StatisticVerdict> evaluateAll(final FilledWindow filled) {
    return evaluator.evaluate(reference, filled.window);
  }
}
