package io.driftguard.scoring;

/** One model version ready to score on the calling thread: its input plan and its own DJL session. */
interface LoadedVersion extends AutoCloseable {
  String version();

  String artifactSha256();

  InputPlan plan();

  /** The calibrated score of one model input row. */
  double score(double[] row);

  /** Calibrated scores of several rows in one model call, one per row, in order. */
  default double[] score(final double[][] rows) {
    final double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = score(rows[i]);
    }
    return out;
  }

  @Override
  void close();

  /** Loads versions for one thread. */
  @FunctionalInterface
  interface Loader {
    /**
     * @throws RuntimeException naming the version and the problem when it cannot be served
     */
    LoadedVersion load(String version);
  }
}
