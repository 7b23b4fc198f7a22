package io.driftguard.model.bundle;

import java.util.List;

/**
 * The bundle's preprocessing (impute, clip, category range) turning raw rows into model input. Training
 * and serving both go through this class, so they see the same inputs.
 */
public final class Preprocessor {
  private final FeatureSpec[] specs;

  public Preprocessor(final List<FeatureSpec> features) {
    this.specs = features.toArray(FeatureSpec[]::new);
  }

  public int featureCount() {
    return specs.length;
  }

  /** One row, preprocessed; NaN where the model will see a missing value. */
  public double[] preprocess(final double[] row) {
    checkWidth(row, 0);
    final double[] out = new double[specs.length];
    for (int c = 0; c < specs.length; c++) {
      out[c] = specs[c].preprocess(row[c]);
    }
    return out;
  }

  /** Rows, preprocessed, as one row-major float array of {@code rows.length * featureCount()} values. */
  public float[] toModelInput(final double[][] rows) {
    final float[] out = new float[rows.length * specs.length];
    int k = 0;
    for (int r = 0; r < rows.length; r++) {
      checkWidth(rows[r], r);
      for (int c = 0; c < specs.length; c++) {
        out[k++] = (float) specs[c].preprocess(rows[r][c]);
      }
    }
    return out;
  }

  private void checkWidth(final double[] row, final int index) {
    if (row == null || row.length != specs.length) {
      throw new IllegalArgumentException("row " + index + " must have " + specs.length + " features, had "
          + (row == null ? "null" : row.length));
    }
  }
}
