package io.driftguard.model.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.model.Json;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  /** Raw scores that are systematically over-confident: true probability is raw^2. */
  private static double[][] overconfident(final int n, final long seed) {
    final SplittableRandom rnd = new SplittableRandom(seed);
    final double[] raw = new double[n];
    final double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      raw[i] = rnd.nextDouble();
      y[i] = rnd.nextDouble() < raw[i] * raw[i] ? 1 : 0;
    }
    return new double[][] {raw, y};
  }

  private static int[] ints(final double[] d) {
    final int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (int) d[i];
    }
    return out;
  }

  private static double ece(final Calibration c, final double[] raw, final int[] y) {
    final int bins = 10;
    final double[] s = new double[bins];
    final double[] l = new double[bins];
    for (int i = 0; i < raw.length; i++) {
      final double p = c.apply(raw[i]);
      final int b = Math.min(bins - 1, (int) (p * bins));
      s[b] += p;
      l[b] += y[i];
    }
    double e = 0;
    for (int b = 0; b < bins; b++) {
      e += Math.abs(s[b] - l[b]) / raw.length;
    }
    return e;
  }

  @Test
  void shouldReduceCalibrationErrorWhenFittedOnMiscalibratedScores() {
    // Given over-confident scores for fitting, and fresh ones for checking
    final double[][] fit = overconfident(20_000, 1);
    final double[][] check = overconfident(20_000, 2);
    final Calibration identity = new PlattCalibration(1, 0);

    // When fitting both methods
    final Calibration platt = PlattCalibration.fit(fit[0], ints(fit[1]));
    final Calibration iso = IsotonicCalibration.fit(fit[0], ints(fit[1]));

    // Then both cut the calibration error on fresh data well below the uncalibrated one
    final double before = ece(identity, check[0], ints(check[1]));
    assertThat(before).isGreaterThan(0.1);
    assertThat(ece(platt, check[0], ints(check[1]))).isLessThan(before / 2);
    assertThat(ece(iso, check[0], ints(check[1]))).isLessThan(0.03);
    assertThat(iso.apply(0.5)).isCloseTo(0.25, within(0.05));
  }

  @Test
  void shouldBeMonotoneAndBoundedWhenIsotonicIsApplied() {
    // Given an isotonic fit
    final double[][] fit = overconfident(5_000, 3);
    final IsotonicCalibration iso = IsotonicCalibration.fit(fit[0], ints(fit[1]));

    // When applied on a grid, Then outputs never decrease and stay in [0,1]
    double last = -1;
    for (double x = -0.1; x <= 1.1; x += 0.001) {
      final double y = iso.apply(x);
      assertThat(y).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(last);
      last = y;
    }
  }

  @Test
  void shouldPoolViolatorsExactlyWhenGivenAHandWorkedExample() {
    // Given labels that violate monotonicity in the middle: 0.1->0, 0.2->1, 0.3->0, 0.4->1
    final IsotonicCalibration iso = IsotonicCalibration.fit(new double[] {0.1, 0.2, 0.3, 0.4}, new int[] {0, 1, 0, 1});

    // Then 0.2 and 0.3 are pooled into one block of mean 0.5 at x=0.25
    assertThat(iso.x()).containsExactly(0.1, 0.25, 0.4);
    assertThat(iso.y()).containsExactly(0.0, 0.5, 1.0);
    assertThat(iso.apply(0.175)).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void shouldPoolTiedScoresWhenFittingIsotonic() {
    final IsotonicCalibration iso = IsotonicCalibration.fit(new double[] {0.5, 0.5, 0.5, 0.9}, new int[] {1, 0, 0, 1});

    assertThat(iso.x()).containsExactly(0.5, 0.9);
    assertThat(iso.y()[0]).isCloseTo(1.0 / 3, within(1e-12));
  }

  @Test
  void shouldRoundTripThroughJsonWhenSerialised() throws Exception {
    // Given both kinds
    final Calibration platt = new PlattCalibration(1.5, -0.25);
    final Calibration iso = IsotonicCalibration.fit(new double[] {0.1, 0.2, 0.3, 0.4}, new int[] {0, 1, 0, 1});

    // When written and read back as the interface type
    final String pj = Json.json().writeValueAsString(platt);
    final String ij = Json.json().writeValueAsString(iso);

    // Then they carry a method discriminator and compare equal
    assertThat(pj).contains("\"method\" : \"platt\"");
    assertThat(ij).contains("\"method\" : \"isotonic\"");
    assertThat(Json.json().readValue(pj, Calibration.class)).isEqualTo(platt);
    assertThat(Json.json().readValue(ij, Calibration.class)).isEqualTo(iso);
  }

  @Test
  void shouldRejectInvalidInputWhenFitting() {
    assertThatThrownBy(() -> PlattCalibration.fit(new double[] {0.1}, new int[] {0, 1}))
        .hasMessageContaining("equally long");
    assertThatThrownBy(() -> IsotonicCalibration.fit(new double[] {1.5}, new int[] {1}))
        .hasMessageContaining("must be in [0,1]");
    assertThatThrownBy(() -> Calibration.fit("beta", new double[] {0.5}, new int[] {1}))
        .hasMessageContaining("'beta'");
  }
}
