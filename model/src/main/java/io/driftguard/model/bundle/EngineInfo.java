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

  /** The engine this build serves with: DJL 0.35.0 bundling native XGBoost 3.0.4. */
  public static EngineInfo current() {
    return new EngineInfo("XGBoost", "DJL", "0.35.0", "3.0.4", MODEL_FILE);
  }

  /** DJL's model name: the file name without {@code .json}. */
  public String modelName() {
    return modelFile.substring(0, modelFile.length() - ".json".length());
  }
}
