package io.driftguard.model.calibration;

final class Checks {
  private Checks() {
  }

  static void check(final double[] raw, final int[] labels) {
    if (raw.length != labels.length || raw.length == 0) {
      throw new IllegalArgumentException("calibration needs equally long, non-empty scores and labels; got "
          + raw.length + " scores and " + labels.length + " labels");
    }
    for (int i = 0; i < raw.length; i++) {
      if (!(raw[i] >= 0 && raw[i] <= 1)) {
        throw new IllegalArgumentException("calibration score " + i + " must be in [0,1], was " + raw[i]);
      }
    }
  }
}
