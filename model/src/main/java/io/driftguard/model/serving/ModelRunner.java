package io.driftguard.model.serving;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.bundle.Manifest;
import io.driftguard.model.calibration.Calibration;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one verified bundle through DJL's XGBoost engine. The model is loaded once; scoring happens in
 * {@link Session}s, one per thread, because DJL predictors are not thread-safe.
 *
 * <pre>{@code
 * try (ModelRunner runner = ModelRunner.open(ArtifactBundle.load(dir, featureSetHash));
 *      ModelRunner.Session session = runner.newSession()) {
 *   double[] scores = session.score(rows);
 * }
 * }</pre>
 */
public final class ModelRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRunner.class);

  private final ArtifactBundle bundle;
  private final ZooModel<double[][], float[]> model;
  private final Calibration calibration;

  private ModelRunner(final ArtifactBundle bundle, final ZooModel<double[][], float[]> model) {
    this.bundle = bundle;
    this.model = model;
    this.calibration = bundle.manifest().calibration();
  }

  /** Re-verifies the bundle's files, then loads its model file through DJL. */
  public static ModelRunner open(final ArtifactBundle bundle) {
    final ArtifactBundle verified = bundle.reverify();
    final Manifest m = verified.manifest();
    final Criteria<double[][], float[]> criteria = Criteria.builder()
        .setTypes(double[][].class, float[].class)
        .optEngine(m.engine().engine())
        .optModelPath(verified.dir())
        .optModelName(m.engine().modelName())
        .optTranslator(new BundleTranslator(verified.preprocessor()))
        .build();
    try {
      final ZooModel<double[][], float[]> model = criteria.loadModel();
      LOG.info("loaded model {} {} (artifact {}) through DJL {}", m.name(), m.version(),
          verified.artifactSha256(), m.engine().engine());
      return new ModelRunner(verified, model);
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new ModelScoringException("cannot load model " + m.name() + " " + m.version() + " from "
          + verified.modelFile() + ": " + e.getMessage(), e);
    }
  }

  public ArtifactBundle bundle() {
    return bundle;
  }

  public Manifest manifest() {
    return bundle.manifest();
  }

  /** A scoring session for the calling thread; close it when the thread stops. */
  public Session newSession() {
    return new Session(model.newPredictor());
  }

  @Override
  public void close() {
    model.close();
  }

  /** Scores rows with one predictor. Not thread-safe: use one session per thread. */
  public final class Session implements AutoCloseable {
    private final Predictor<double[][], float[]> predictor;

    private Session(final Predictor<double[][], float[]> predictor) {
      this.predictor = predictor;
    }

    /** Raw (uncalibrated) XGBoost probabilities, one per row. */
    public float[] rawProbabilities(final double[][] rows) {
      if (rows.length == 0) {
        return new float[0];
      }
      try {
        final float[] out = predictor.predict(rows);
        if (out.length != rows.length) {
          throw new ModelScoringException("model returned " + out.length + " scores for " + rows.length
              + " rows", null);
        }
        return out;
      } catch (TranslateException e) {
        throw new ModelScoringException("scoring failed with model " + manifest().name() + " "
            + manifest().version() + ": " + e.getMessage(), e);
      }
    }

    /** Calibrated scores in [0,1], one per row. */
    public double[] score(final double[][] rows) {
      final float[] raw = rawProbabilities(rows);
      final double[] out = new double[raw.length];
      for (int i = 0; i < raw.length; i++) {
        out[i] = calibration.apply(raw[i]);
      }
      return out;
    }

    /** The calibrated score of one row. */
    public double score(final double[] row) {
      return score(new double[][] {row})[0];
    }

    @Override
    public void close() {
      predictor.close();
    }
  }
}
