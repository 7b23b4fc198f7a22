package io.driftguard.model.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Isotonic regression fitted by pool-adjacent-violators. Stored as the blocks' mean raw score {@code x}
 * (strictly increasing) and calibrated value {@code y} (non-decreasing); scores between block centres
 * are linearly interpolated, scores outside are clamped to the end values.
 */
public record IsotonicCalibration(double[] x, double[] y) implements Calibration {

  public IsotonicCalibration {
    if (x == null || y == null || x.length == 0 || x.length != y.length) {
      throw new IllegalArgumentException("isotonic calibration needs equally long, non-empty x and y");
    }
    for (int i = 1; i < x.length; i++) {
      if (!(x[i] > x[i - 1]) || y[i] < y[i - 1]) {
        throw new IllegalArgumentException("isotonic calibration x must increase strictly and y must not decrease");
      }
    }
    x = x.clone();
    y = y.clone();
  }

  @Override
  public double apply(final double raw) {
    if (raw <= x[0]) {
      return y[0];
    }
    if (raw >= x[x.length - 1]) {
      return y[y.length - 1];
    }
    int i = Arrays.binarySearch(x, raw);
    if (i >= 0) {
      return y[i];
    }
    i = -i - 1;
    final double w = (raw - x[i - 1]) / (x[i] - x[i - 1]);
    return y[i - 1] + w * (y[i] - y[i - 1]);
  }

  public static IsotonicCalibration fit(final double[] raw, final int[] labels) {
    Checks.check(raw, labels);
    final Integer[] order = IntStream.range(0, raw.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> raw[i]).thenComparingInt(i -> i));
    // blocks: sum of x, sum of y, weight; ties in raw score are pooled first so x stays strictly increasing
    final List<double[]> blocks = new ArrayList<>();
    double previous = Double.NaN;
    for (final int i : order) {
      final double[] last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
      final boolean tie = raw[i] == previous;
      previous = raw[i];
      if (tie) {
        last[0] += raw[i];
        last[1] += labels[i];
        last[2] += 1;
      } else {
        blocks.add(new double[] {raw[i], labels[i], 1});
      }
      while (blocks.size() > 1) {
        final double[] b = blocks.get(blocks.size() - 1);
        final double[] a = blocks.get(blocks.size() - 2);
        if (a[1] / a[2] < b[1] / b[2]) {
          break;
        }
        a[0] += b[0];
        a[1] += b[1];
        a[2] += b[2];
        blocks.remove(blocks.size() - 1);
      }
    }
    // rounding in the block means can, rarely, make neighbouring centres equal: pool those too
    final List<double[]> merged = new ArrayList<>();
    for (final double[] b : blocks) {
      final double[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && b[0] / b[2] <= last[0] / last[2]) {
        last[0] += b[0];
        last[1] += b[1];
        last[2] += b[2];
      } else {
        merged.add(b);
      }
    }
    final double[] xs = new double[merged.size()];
    final double[] ys = new double[merged.size()];
    for (int k = 0; k < xs.length; k++) {
      xs[k] = merged.get(k)[0] / merged.get(k)[2];
      ys[k] = merged.get(k)[1] / merged.get(k)[2];
      if (k > 0 && ys[k] < ys[k - 1]) {
        ys[k] = ys[k - 1];
      }
    }
    return new IsotonicCalibration(xs, ys);
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof IsotonicCalibration other && Arrays.equals(x, other.x) && Arrays.equals(y, other.y);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(x) + Arrays.hashCode(y);
  }

  @Override
  public String toString() {
    return "IsotonicCalibration[blocks=" + x.length + "]";
  }
}
