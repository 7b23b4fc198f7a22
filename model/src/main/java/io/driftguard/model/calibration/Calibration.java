package io.driftguard.model.calibration;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Maps a raw model probability to a calibrated one. Fitted on the validation split only; stored as
 * JSON in the bundle manifest under {@code calibration} with a {@code method} discriminator.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "method")
@JsonSubTypes({
    @JsonSubTypes.Type(value = PlattCalibration.class, name = "platt"),
    @JsonSubTypes.Type(value = IsotonicCalibration.class, name = "isotonic")})
public sealed interface Calibration permits PlattCalibration, IsotonicCalibration {

  double apply(double rawProbability);

  /** Fits the named method ({@code platt} or {@code isotonic}) to raw probabilities and 0/1 labels. */
  static Calibration fit(final String method, final double[] raw, final int[] labels) {
    return switch (method) {
      case "platt" -> PlattCalibration.fit(raw, labels);
      case "isotonic" -> IsotonicCalibration.fit(raw, labels);
      default -> throw new IllegalArgumentException("calibration must be 'platt' or 'isotonic', was '" + method + "'");
    };
  }
}
