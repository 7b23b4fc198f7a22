package io.driftguard.model.bundle;

/**
 * How the model file is served. Trainer and engine must run the same XGBoost version: a model trained
 * by a newer XGBoost loads in an older one and silently predicts different values.
 */
public record EngineInfo(String engine, String servedBy, String servingVersion, String xgboostVersion,
    String modelFile) {

  public static final String MODEL_FILE = "model.json";

  public EngineInfo {
    if (!"XGBoost".equals(engine)) {
      throw new IllegalArgumentException("engine must be XGBoost, was '" + engine + "'");
    }
    if (modelFile == null || !modelFile.endsWith(".json") || modelFile.contains("/") || modelFile.contains("\\")) {
      throw new IllegalArgumentException("modelFile must be a plain *.json file name, was '" + modelFile + "'");
    }
  }

  /** XGBoost version of both the trainer (xgboost4j) and DJL's bundled native engine. */
  public static final String XGBOOST_VERSION = "3.0.4";

  /** The engine this build serves with: DJL (version read from the DJL jar) bundling native XGBoost. */
  public static EngineInfo current() {
    return new EngineInfo("XGBoost", "DJL", ai.djl.engine.Engine.getDjlVersion(), XGBOOST_VERSION, MODEL_FILE);
  }

  /** DJL's model name: the file name without {@code .json}. */
  public String modelName() {
    return modelFile.substring(0, modelFile.length() - ".json".length());
  }
}
