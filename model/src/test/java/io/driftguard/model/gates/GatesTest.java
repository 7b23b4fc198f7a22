package io.driftguard.model.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatesTest {
  private static final List<Gate> GATES = Gates.parseAll(List.of(
      "auc min 0.85",
      "ece max 0.05",
      "p99_latency_ms max 2",
      "auc not_worse_than_champion 0.01",
      "slice channel=ONLINE recall min 0.5"));

  private static final Map<String, Double> GOOD = Map.of("auc", 0.90, "ece", 0.02, "p99_latency_ms", 0.8);
  private static final Map<String, Double> CHAMPION = Map.of("auc", 0.905);
  private static final Map<String, Map<String, Double>> SLICES = Map.of("channel=ONLINE", Map.of("recall", 0.6));

  @Test
  void shouldPassWhenEveryGateHolds() {
    // When evaluating a good candidate
    final GateResult r = Gates.evaluate(GATES, GOOD, CHAMPION, SLICES);

    // Then every gate passes
    assertThat(r.passed()).isTrue();
    assertThat(r.outcomes()).extracting(GateResult.Outcome::status).containsOnly(GateResult.Status.PASS);
    assertThat(r.report()).endsWith("PASSED");
  }

  @Test
  void shouldFailWhenAMetricIsMissing() {
    // Given a candidate without a latency measurement
    final Map<String, Double> noLatency = Map.of("auc", 0.90, "ece", 0.02);

    // When evaluating
    final GateResult r = Gates.evaluate(GATES, noLatency, CHAMPION, SLICES);

    // Then the latency gate fails, naming the metric
    assertThat(r.passed()).isFalse();
    assertThat(r.failures()).singleElement().satisfies(f -> {
      assertThat(f.gate().metric()).isEqualTo("p99_latency_ms");
      assertThat(f.value()).isNull();
      assertThat(f.detail()).contains("'p99_latency_ms' missing");
    });
    assertThat(r.report()).contains("FAILED: 1 of 5").contains("p99_latency_ms");
  }

  @Test
  void shouldFailWithValueAndThresholdWhenASliceRegressed() {
    // Given an ONLINE recall below the floor
    final Map<String, Map<String, Double>> regressed = Map.of("channel=ONLINE", Map.of("recall", 0.3));

    // When evaluating
    final GateResult r = Gates.evaluate(GATES, GOOD, CHAMPION, regressed);

    // Then the slice gate fails with its value and threshold
    assertThat(r.passed()).isFalse();
    assertThat(r.failures()).singleElement().satisfies(f -> {
      assertThat(f.gate().slice()).isEqualTo("channel=ONLINE");
      assertThat(f.value()).isEqualTo(0.3);
      assertThat(f.required()).isEqualTo(0.5);
    });
    assertThat(r.report()).contains("channel=ONLINE").contains("0.300000").contains("0.500000");
  }

  @Test
  void shouldFailWhenSliceIsAbsent() {
    final GateResult r = Gates.evaluate(GATES, GOOD, CHAMPION, Map.of());

    assertThat(r.passed()).isFalse();
    assertThat(r.failures()).singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("slice channel=ONLINE absent"));
  }

  @Test
  void shouldFailWhenWorseThanChampionBeyondTolerance() {
    // Given a champion with auc 0.95: 0.90 is 0.05 worse, tolerance is 0.01
    final GateResult r = Gates.evaluate(GATES, GOOD, Map.of("auc", 0.95), SLICES);

    assertThat(r.passed()).isFalse();
    assertThat(r.failures()).singleElement().satisfies(f -> {
      assertThat(f.gate().kind()).isEqualTo(Gate.Kind.NOT_WORSE_THAN_CHAMPION);
      assertThat(f.required()).isCloseTo(0.94, org.assertj.core.api.Assertions.within(1e-12));
    });
  }

  @Test
  void shouldTreatLowerAsBetterForErrorMetricsWhenComparingWithChampion() {
    final List<Gate> gates = Gates.parseAll(List.of("ece not_worse_than_champion 0.01"));

    assertThat(Gates.evaluate(gates, Map.of("ece", 0.05), Map.of("ece", 0.045), null).passed()).isTrue();
    assertThat(Gates.evaluate(gates, Map.of("ece", 0.07), Map.of("ece", 0.045), null).passed()).isFalse();
    assertThat(Gate.lowerIsBetter("p99_latency_ms")).isTrue();
    assertThat(Gate.lowerIsBetter("recall")).isFalse();
  }

  @Test
  void shouldSkipChampionComparisonWhenThereIsNoChampion() {
    final GateResult r = Gates.evaluate(GATES, GOOD, null, SLICES);

    assertThat(r.passed()).isTrue();
    assertThat(r.outcomes()).filteredOn(o -> o.status() == GateResult.Status.SKIPPED).hasSize(1);
  }

  @Test
  void shouldFailWhenChampionLacksTheMetric() {
    final GateResult r = Gates.evaluate(GATES, GOOD, Map.of("ece", 0.01), SLICES);

    assertThat(r.passed()).isFalse();
    assertThat(r.failures()).singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("missing from champion metrics"));
  }

  @Test
  void shouldFailClosedWhenNoGatesAreDeclared() {
    final GateResult r = Gates.evaluate(List.of(), GOOD, null, null);

    assertThat(r.passed()).isFalse();
    assertThat(r.report()).contains("no gates were declared");
  }

  @Test
  void shouldFailWhenMetricIsNotFinite() {
    final GateResult r = Gates.evaluate(Gates.parseAll(List.of("auc min 0.5")), Map.of("auc", Double.NaN), null, null);

    assertThat(r.passed()).isFalse();
  }

  @Test
  void shouldNameTheGateWhenSyntaxIsWrong() {
    assertThatThrownBy(() -> Gates.parseAll(List.of("auc min 0.5", "auc at_least 0.5")))
        .hasMessageContaining("gates[1]").hasMessageContaining("at_least");
    assertThatThrownBy(() -> Gate.parse("auc min high")).hasMessageContaining("'high' is not a number");
    assertThatThrownBy(() -> Gate.parse("slice channel recall min 0.5")).hasMessageContaining("column=value");
    assertThatThrownBy(() -> Gate.parse("auc min")).hasMessageContaining("must look like");
  }
}
