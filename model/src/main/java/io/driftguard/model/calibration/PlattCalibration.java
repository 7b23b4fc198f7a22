package io.driftguard.model.calibration;

/**
 * Platt scaling on the log-odds of the raw probability: {@code p = 1 / (1 + exp(-(a * logit(raw) + b)))}.
 * Fitted by Newton's method with Platt's smoothed targets, which keeps the fit finite on separable data.
 */
public record PlattCalibration(double a, double b) implements Calibration {
  private static final double EPS = 1e-12;

  public PlattCalibration {
    if (!Double.isFinite(a) || !Double.isFinite(b)) {
      throw new IllegalArgumentException("Platt parameters must be finite, were a=" + a + " b=" + b);
    }
  }

  @Override
  public double apply(final double raw) {
    return sigmoid(a * logit(raw) + b);
  }

  static double logit(final double p) {
    final double q = Math.min(1 - EPS, Math.max(EPS, p));
    return Math.log(q / (1 - q));
  }

  static double sigmoid(final double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  public static PlattCalibration fit(final double[] raw, final int[] labels) {
    Checks.check(raw, labels);
    final int n = raw.length;
    int pos = 0;
    for (final int y : labels) {
      pos += y;
    }
    final double hi = (pos + 1.0) / (pos + 2.0);
    final double lo = 1.0 / (n - pos + 2.0);
    final double[] x = new double[n];
    final double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = logit(raw[i]);
      t[i] = labels[i] == 1 ? hi : lo;
    }
    double a = 1.0;
    double b = 0.0;
    for (int iter = 0; iter < 100; iter++) {
      double ga = 0;
      double gb = 0;
      double haa = 1e-12;
      double hab = 0;
      double hbb = 1e-12;
      for (int i = 0; i < n; i++) {
        final double p = sigmoid(a * x[i] + b);
        final double r = p - t[i];
        final double w = p * (1 - p);
        ga += r * x[i];
        gb += r;
        haa += w * x[i] * x[i];
        hab += w * x[i];
        hbb += w;
      }
      final double det = haa * hbb - hab * hab;
      if (Math.abs(det) < 1e-18) {
        break;
      }
      final double da = (hbb * ga - hab * gb) / det;
      final double db = (haa * gb - hab * ga) / det;
      a -= da;
      b -= db;
      if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) {
        break;
      }
    }
    return new PlattCalibration(a, b);
  }
}
