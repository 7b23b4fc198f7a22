package io.driftguard.model.bundle;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One model input as the bundle declares it: type, preprocessing and missing/stale policy.
 *
 * @param imputeValue value a missing input is replaced with; null leaves it missing (XGBoost then
 *     follows the branch direction it learned for missing values)
 * @param clipMin lower clip bound for numeric inputs (null = none)
 * @param clipMax upper clip bound for numeric inputs (null = none)
 * @param categories for CATEGORICAL inputs the ordered categories; the model input is the index
 */
@JsonPropertyOrder({"name", "type", "imputeValue", "clipMin", "clipMax", "categories", "missingPolicy"})
public record FeatureSpec(String name, Type type, Double imputeValue, Double clipMin, Double clipMax,
    List<String> categories, MissingPolicy missingPolicy) {

  /** Feature value type. */
  public enum Type {
    NUMERIC, CATEGORICAL
  }

  public FeatureSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("feature name must not be blank");
    }
    if (type == null) {
      throw new IllegalArgumentException("feature '" + name + "': type must not be null");
    }
    if (missingPolicy == null) {
      throw new IllegalArgumentException("feature '" + name + "': missingPolicy must not be null");
    }
    if (type == Type.CATEGORICAL) {
      if (categories == null || categories.isEmpty()) {
        throw new IllegalArgumentException("categorical feature '" + name + "' needs categories");
      }
      categories = List.copyOf(categories);
    } else if (categories != null && !categories.isEmpty()) {
      throw new IllegalArgumentException("numeric feature '" + name + "' must not declare categories");
    }
    if (clipMin != null && clipMax != null && clipMin > clipMax) {
      throw new IllegalArgumentException("feature '" + name + "': clipMin " + clipMin + " > clipMax " + clipMax);
    }
  }

  /** The model input for a raw value: missing values imputed, numeric values clipped, unknown codes missing. */
  public double preprocess(final double raw) {
    double v = raw;
    if (type == Type.CATEGORICAL && !Double.isNaN(v) && (v != Math.rint(v) || v < 0 || v >= categories.size())) {
      v = Double.NaN;
    }
    if (Double.isNaN(v)) {
      return imputeValue == null ? Double.NaN : imputeValue;
    }
    if (clipMin != null && v < clipMin) {
      return clipMin;
    }
    if (clipMax != null && v > clipMax) {
      return clipMax;
    }
    return v;
  }

  /** The category index of a raw string value, or NaN (missing) for null or an unseen category. */
  public double encode(final String category) {
    if (type != Type.CATEGORICAL) {
      throw new IllegalStateException("feature '" + name + "' is not categorical");
    }
    final int i = category == null ? -1 : categories.indexOf(category);
    return i < 0 ? Double.NaN : i;
  }
}
