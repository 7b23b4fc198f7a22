package io.driftguard.model.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.model.Dataset;
import io.driftguard.model.Json;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProfileBuilderTest {

  @Test
  void shouldBuildDecileBinsWithEqualSharesWhenValuesAreUniform() {
    // Given 0..999 and 100 missing values
    final double[] column = new double[1100];
    for (int i = 0; i < 1100; i++) {
      column[i] = i < 1000 ? i : Double.NaN;
    }

    // When profiling with 10 bins
    final NumericProfile p = ProfileBuilder.numeric("x", column, 10);

    // Then there are 9 inner edges, each bin holds a tenth, and the stats are exact
    assertThat(p.binEdges()).hasSize(9);
    assertThat(p.binEdges()[0]).isCloseTo(99.9, within(1e-9));
    for (final double share : p.proportions()) {
      assertThat(share).isCloseTo(0.1, within(0.0011));
    }
    assertThat(p.nullRate()).isCloseTo(100.0 / 1100, within(1e-12));
    assertThat(p.mean()).isCloseTo(499.5, within(1e-9));
    assertThat(p.min()).isEqualTo(0.0);
    assertThat(p.max()).isEqualTo(999.0);
    assertThat(p.std()).isCloseTo(Math.sqrt((1000.0 * 1000 - 1) / 12), within(1e-6));
    assertThat(p.binIndex(-5)).isZero();
    assertThat(p.binIndex(10_000)).isEqualTo(9);
  }

  @Test
  void shouldCollapseDuplicateEdgesWhenValuesAreMostlyConstant() {
    // Given 90% zeros
    final double[] column = IntStream.range(0, 100).mapToDouble(i -> i < 90 ? 0 : i).toArray();

    final NumericProfile p = ProfileBuilder.numeric("x", column, 10);

    // Then edges are strictly increasing and shares still sum to one
    assertThat(p.binEdges().length).isLessThan(9);
    assertThat(java.util.Arrays.stream(p.proportions()).sum()).isCloseTo(1.0, within(1e-12));
    assertThat(p.proportions()[p.binIndex(0)]).isCloseTo(0.9, within(0.011));
  }

  @Test
  void shouldProfileCategoriesSlicesAndScoresWhenBuildingFromADataset() throws Exception {
    // Given a dataset with a categorical feature and a slice column
    final double[][] rows = {{0, 1.0}, {1, 2.0}, {1, Double.NaN}, {Double.NaN, 4.0}};
    final Dataset d = new Dataset(List.of("country", "amount"), rows, new int[] {0, 1, 1, 0},
        new long[] {1, 2, 3, 4}, null, Map.of("channel", new String[] {"POS", "POS", "ONLINE", null}),
        Map.of("country", List.of("DE", "FR")), null);

    // When profiling with scores 0.05, 0.95, 1.0, 0.55
    final ReferenceProfile p = ProfileBuilder.build(d, d, new double[] {0.05, 0.95, 1.0, 0.55}, 10);

    // Then categories, slices and the score histogram are described
    assertThat(p.categorical("country").orElseThrow().frequencies())
        .containsEntry("DE", 1.0 / 3).containsEntry("FR", 2.0 / 3);
    assertThat(p.categorical("country").orElseThrow().nullRate()).isEqualTo(0.25);
    assertThat(p.categorical("channel").orElseThrow().frequencies())
        .containsEntry("POS", 2.0 / 3).containsEntry("ONLINE", 1.0 / 3);
    assertThat(p.numeric("amount").orElseThrow().nullRate()).isEqualTo(0.25);
    assertThat(p.numeric("country")).isEmpty();
    assertThat(p.scores().proportions()).containsExactly(0.25, 0, 0, 0, 0, 0.25, 0, 0, 0, 0.5);
    assertThat(p.scores().meanScore()).isCloseTo(2.55 / 4, within(1e-12));
    assertThat(p.scores().meanConfidence()).isCloseTo((0.95 + 0.95 + 1.0 + 0.55) / 4, within(1e-12));
    assertThat(p.scores().positiveRate()).isEqualTo(0.5);
    final String json = Json.json().writeValueAsString(p);
    assertThat(Json.json().readValue(json, ReferenceProfile.class)).isEqualTo(p);
  }
}
