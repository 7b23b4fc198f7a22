package io.driftguard.scoring;

/** One model version ready to score on the calling thread: its input plan and its own DJL session. */
interface LoadedVersion extends AutoCloseable {
  String version();

  String artifactSha256();

  InputPlan plan();

  /** The calibrated score of one model input row. */
  double score(double[] row);

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
