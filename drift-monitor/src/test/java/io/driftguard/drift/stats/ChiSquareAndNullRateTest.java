package io.driftguard.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

class ChiSquareAndNullRateTest {

    private static final CategoricalReference CARD_TYPES = new CategoricalReference(
            List.of("visa", "mastercard", "amex"), new double[] {0.5, 0.3, 0.15}, 0.05, 0.02);

    private static CategoricalWindowState windowOf(final CategoricalReference reference, final Map<String, Integer> n,
            final int nulls) {
        final CategoricalWindowState state = CategoricalWindowState.empty(reference);
        n.forEach((category, count) -> {
            for (int i = 0; i < count; i++) {
                state.update(category);
            }
        });
        for (int i = 0; i < nulls; i++) {
            state.update(null);
        }
        return state;
    }

    @Test
    void shouldMatchCommonsMathChiSquareWhenWindowHasUnseenCategories() {
        // Given: 'discover' and 'jcb' are unseen in the reference and land in "other".
        final CategoricalWindowState window = windowOf(CARD_TYPES,
                Map.of("visa", 420, "mastercard", 330, "amex", 160, "discover", 60, "jcb", 30), 10);
        final double eps = 1e-4;
        final double norm = 1 + 4 * eps;
        final double[] expected = {
            1000 * (0.5 + eps) / norm, 1000 * (0.3 + eps) / norm, 1000 * (0.15 + eps) / norm,
            1000 * (0.05 + eps) / norm};
        final long[] observed = {420, 330, 160, 90};

        // When
        final ChiSquareResult result = DriftStatistics.chiSquare(CARD_TYPES, window, eps);

        // Then
        final ChiSquareTest commons = new ChiSquareTest();
        assertThat(result.statistic()).isCloseTo(commons.chiSquare(expected, observed), within(1e-9));
        assertThat(result.pValue()).isCloseTo(commons.chiSquareTest(expected, observed), within(1e-12));
        assertThat(result.degreesOfFreedom()).isEqualTo(3);
        assertThat(result.otherCount()).isEqualTo(90);
        assertThat(result.windowCount()).isEqualTo(1000);
        assertThat(result.pValue()).isLessThan(0.01);
    }

    @Test
    void shouldCountUnseenCategoryWhenReferenceHadNoOther() {
        // Given: a reference with no "other" share; a new category appears.
        final CategoricalReference closed = new CategoricalReference(List.of("a", "b"), new double[] {0.6, 0.4}, 0.0,
                0.0);
        final CategoricalWindowState window = windowOf(closed, Map.of("a", 600, "b", 390, "new", 10), 0);
        final double eps = 1e-4;
        final double norm = 1 + 3 * eps;
        final double[] expected = {1000 * (0.6 + eps) / norm, 1000 * (0.4 + eps) / norm, 1000 * eps / norm};

        // When
        final ChiSquareResult result = DriftStatistics.chiSquare(closed, window, eps);

        // Then: 10 observations against an expected 0.1 dominate the statistic.
        final ChiSquareTest commons = new ChiSquareTest();
        assertThat(result.statistic()).isCloseTo(commons.chiSquare(expected, new long[] {600, 390, 10}),
                within(1e-6));
        assertThat(result.statistic()).isGreaterThan(900);
        assertThat(result.degreesOfFreedom()).isEqualTo(2);
    }

    @Test
    void shouldLeaveOutEmptyZeroShareBucketWhenNothingUnseenArrives() {
        // Given
        final CategoricalReference closed = new CategoricalReference(List.of("a", "b"), new double[] {0.6, 0.4}, 0.0,
                0.0);
        final CategoricalWindowState window = windowOf(closed, Map.of("a", 600, "b", 400), 0);

        // When
        final ChiSquareResult result = DriftStatistics.chiSquare(closed, window);

        // Then
        assertThat(result.degreesOfFreedom()).isEqualTo(1);
        assertThat(result.statistic()).isCloseTo(0.0, within(1e-3));
        assertThat(result.pValue()).isGreaterThan(0.9);
    }

    @Test
    void shouldKeepTopNAndFoldRestIntoOtherWhenBuildingReferenceFromCounts() {
        // Given
        final Map<String, Long> counts = Map.of("a", 50L, "b", 30L, "c", 15L, "d", 5L);

        // When
        final CategoricalReference reference = CategoricalReference.fromCounts(counts, 25, 2);

        // Then
        assertThat(reference.categories()).containsExactly("a", "b");
        assertThat(reference.proportions()).containsExactly(0.5, 0.3);
        assertThat(reference.otherProportion()).isCloseTo(0.2, within(1e-12));
        assertThat(reference.nullRate()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void shouldReportNullRateAndDifferenceWhenWindowHasNulls() {
        // Given
        final CategoricalWindowState window = windowOf(CARD_TYPES, Map.of("visa", 90), 10);
        final NumericWindowState numeric = NumericWindowState.empty(new ReferenceBins(new double[] {0.0},
                new double[] {0.5, 0.5}));
        numeric.update(1.0).update((Double) null).update(Double.NaN).update(2.0);

        // When / Then
        assertThat(window.nullRate()).isCloseTo(0.1, within(1e-12));
        assertThat(DriftStatistics.nullRateDifference(CARD_TYPES.nullRate(), window.nullRate()))
                .isCloseTo(0.08, within(1e-12));
        assertThat(numeric.nullRate()).isCloseTo(0.5, within(1e-12));
        assertThat(numeric.count()).isEqualTo(2);
    }

    @Test
    void shouldNameTheKeyWhenReferenceIsInvalid() {
        assertThatThrownBy(() -> new CategoricalReference(List.of("a", "a"), new double[] {0.5, 0.5}, 0.0, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("categories[1]:");
        assertThatThrownBy(() -> new CategoricalReference(List.of("a"), new double[] {0.5}, 0.0, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("proportions:");
        assertThatThrownBy(() -> new CategoricalReference(List.of("a"), new double[] {1.0}, 0.0, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("nullRate:");
    }
}
