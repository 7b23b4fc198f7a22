package io.driftguard.scoring;

import io.driftguard.features.FeatureSet;
import io.driftguard.model.serving.ModelRunner;

/** A {@link LoadedVersion} over a shared {@link ModelRunner} and a DJL session owned by the calling thread. */
final class SessionVersion implements LoadedVersion {
  private final ModelRunner runner;
  private final InputPlan plan;
  private final ModelRunner.Session session;

  private SessionVersion(final ModelRunner runner, final InputPlan plan, final ModelRunner.Session session) {
    this.runner = runner;
    this.plan = plan;
    this.session = session;
  }

  /** Plans the inputs first (refusing an artifact the feature set cannot feed), then opens a session. */
  static SessionVersion open(final ModelRunner runner, final FeatureSet featureSet) {
    final InputPlan plan = InputPlan.of(runner.manifest(), featureSet);
    final ModelRunner.Session session = runner.newSession();
    try {
      // The first call on a predictor is much slower than the rest; pay it here, not on an event's timeout.
      session.score(new double[runner.manifest().features().size()]);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return new SessionVersion(runner, plan, session);
  }

  @Override
  public String version() {
    return runner.manifest().version();
  }

  @Override
  public String artifactSha256() {
    return runner.bundle().artifactSha256();
  }

  @Override
  public InputPlan plan() {
    return plan;
  }

  @Override
  public double score(final double[] row) {
    return session.score(row);
  }

  @Override
  public double[] score(final double[][] rows) {
    return session.score(rows);
  }

  @Override
  public void close() {
    session.close();
  }
}
