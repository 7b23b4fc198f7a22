package io.driftguard.model.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.driftguard.model.bundle.Preprocessor;

/**
 * Raw rows in, raw XGBoost probabilities out. Input goes through the bundle's preprocessing and becomes
 * one (n, features) float NDArray, so a batch is a single native call. Calibration is applied by the
 * caller, outside DJL.
 */
final class BundleTranslator implements NoBatchifyTranslator<double[][], float[]> {
  private final Preprocessor preprocessor;

  BundleTranslator(final Preprocessor preprocessor) {
    this.preprocessor = preprocessor;
  }

  @Override
  public NDList processInput(final TranslatorContext ctx, final double[][] rows) {
    final float[] data = preprocessor.toModelInput(rows);
    final NDArray array = ctx.getNDManager().create(data, new Shape(rows.length, preprocessor.featureCount()));
    return new NDList(array);
  }

  @Override
  public float[] processOutput(final TranslatorContext ctx, final NDList list) {
    return list.singletonOrThrow().toFloatArray();
  }
}
