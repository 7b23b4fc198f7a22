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

  @Test
  void shouldKeepOneHundredAndOneQuantilesFromMinimumToMaximumWhenValuesAreUniform() {
    // Given 0..999 and 100 missing values
    final double[] column = new double[1100];
    for (int i = 0; i < 1100; i++) {
      column[i] = i < 1000 ? 999 - i : Double.NaN;
    }

    // When
    final NumericProfile p = ProfileBuilder.numeric("x", column, 10);

    // Then quantile k sits at rank k/100 of the non-missing values (type-7 interpolation), min first, max last
    final double[] q = p.quantiles();
    assertThat(q).hasSize(ProfileBuilder.DEFAULT_QUANTILES);
    assertThat(q[0]).isEqualTo(0.0);
    assertThat(q[100]).isEqualTo(999.0);
    for (int k = 0; k <= 100; k++) {
      assertThat(q[k]).as("quantile %d", k).isCloseTo(k * 9.99, within(1e-9));
    }
    assertThat(p.binEdges()[0]).isCloseTo(q[10], within(1e-9));
  }

  @Test
  void shouldKeepQuantilesMonotoneWhenValuesAreMostlyConstant() {
    // Given 90% zeros
    final double[] column = IntStream.range(0, 100).mapToDouble(i -> i < 90 ? 0 : i).toArray();

    // When
    final double[] q = ProfileBuilder.numeric("x", column, 10).quantiles();

    // Then
    assertThat(q).isSorted();
    assertThat(q[0]).isZero();
    assertThat(q[89]).isZero();
    assertThat(q[100]).isEqualTo(99.0);
  }

  @Test
  void shouldRecordTheScoreStdAndQuantilesWhenProfilingScores() {
    // Given
    final double[] scores = {0.1, 0.2, 0.3, 0.4};

    // When
    final ScoreProfile p = ProfileBuilder.scores(scores, new int[] {0, 0, 1, 1}, 10);

    // Then: population std, and quantiles from 0.1 to 0.4
    assertThat(p.std()).isCloseTo(Math.sqrt(0.0125), within(1e-12));
    assertThat(p.quantiles()).hasSize(ProfileBuilder.DEFAULT_QUANTILES);
    assertThat(p.quantiles()[0]).isEqualTo(0.1);
    assertThat(p.quantiles()[50]).isCloseTo(0.25, within(1e-12));
    assertThat(p.quantiles()[100]).isEqualTo(0.4);
  }

  @Test
  void shouldReadAnOldManifestProfileWhenItHasNoQuantilesOrScoreStd() throws Exception {
    // Given profile JSON as written before quantiles and the score std existed
    final String json = """
        {"numeric":[{"name":"x","count":4,"nullRate":0.0,"binEdges":[1.5],"proportions":[0.5,0.5],
                     "mean":2.0,"std":1.0,"min":1.0,"max":3.0}],
         "categorical":[],
         "scores":{"count":4,"proportions":[0.5,0.5],"meanScore":0.5,"meanConfidence":0.7,"positiveRate":0.5}}
        """;

    // When
    final ReferenceProfile p = Json.json().readValue(json, ReferenceProfile.class);

    // Then the new fields are simply absent
    assertThat(p.numeric("x").orElseThrow().quantiles()).isNull();
    assertThat(p.numeric("x").orElseThrow().binEdges()).containsExactly(1.5);
    assertThat(p.scores().std()).isNull();
    assertThat(p.scores().quantiles()).isNull();
  }

  @Test
  void shouldRefuseDecreasingQuantilesNamingTheProfileWhenBuiltByHand() {
    // When / Then
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new NumericProfile("x", 3, 0.0, new double[] {1.0},
            new double[] {0.5, 0.5}, 1.0, 1.0, 0.0, 2.0, new double[] {0.0, 2.0, 1.0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("profile of 'x'")
        .hasMessageContaining("quantiles[2]");
  }
}
