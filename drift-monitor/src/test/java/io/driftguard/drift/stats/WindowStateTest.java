package io.driftguard.drift.stats;

import static io.driftguard.drift.stats.StatsFixtures.decileBins;
import static io.driftguard.drift.stats.StatsFixtures.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowStateTest {

    private static final double[] SAMPLE = gaussian(21, 20_000, 5.0, 2.0);
    private static final ReferenceBins BINS = decileBins(SAMPLE);

    @Test
    void shouldRoundTripNumericStateWhenEncoded() {
        // Given
        final NumericWindowState state = StatsFixtures.window(BINS, 200, SAMPLE);
        state.update((Double) null);

        // When
        final byte[] bytes = state.toBytes();
        final NumericWindowState decoded = NumericWindowState.fromBytes(bytes);

        // Then
        assertThat(decoded.toBytes()).isEqualTo(bytes);
        assertThat(decoded.binCounts()).isEqualTo(state.binCounts());
        assertThat(decoded.count()).isEqualTo(20_000);
        assertThat(decoded.nullCount()).isEqualTo(1);
        assertThat(decoded.sum()).isEqualTo(state.sum());
        assertThat(decoded.sumOfSquares()).isEqualTo(state.sumOfSquares());
        assertThat(decoded.min()).isEqualTo(state.min());
        assertThat(decoded.max()).isEqualTo(state.max());
        assertThat(decoded.k()).isEqualTo(200);
        assertThat(decoded.quantile(0.5)).isEqualTo(state.quantile(0.5));
        assertThat(decoded.edges()).isEqualTo(BINS.edges());
    }

    @Test
    void shouldEqualOneStateOverAllDataWhenTwoStatesMerge() {
        // Given
        final double[] first = Arrays.copyOfRange(SAMPLE, 0, 7000);
        final double[] second = Arrays.copyOfRange(SAMPLE, 7000, SAMPLE.length);
        final NumericWindowState a = StatsFixtures.window(BINS, 200, first).updateMissing();
        final NumericWindowState b = StatsFixtures.window(BINS, 200, second);
        final NumericWindowState whole = StatsFixtures.window(BINS, 200, SAMPLE).updateMissing();
        final byte[] aBefore = a.toBytes();

        // When
        final NumericWindowState merged = a.merge(b);

        // Then
        assertThat(merged.binCounts()).isEqualTo(whole.binCounts());
        assertThat(merged.count()).isEqualTo(whole.count());
        assertThat(merged.nullCount()).isEqualTo(1);
        assertThat(merged.sum()).isCloseTo(whole.sum(), within(1e-6));
        assertThat(merged.mean()).isCloseTo(whole.mean(), within(1e-9));
        assertThat(merged.variance()).isCloseTo(whole.variance(), within(1e-6));
        assertThat(merged.min()).isEqualTo(whole.min());
        assertThat(merged.max()).isEqualTo(whole.max());
        assertThat(merged.quantile(0.5)).isCloseTo(whole.quantile(0.5), within(0.1));
        assertThat(a.toBytes()).as("merge leaves its inputs untouched").isEqualTo(aBefore);
    }

    @Test
    void shouldMergeWithEmptyStateWhenOneSideHasNoValues() {
        // Given
        final NumericWindowState empty = NumericWindowState.empty(BINS, 200);
        final NumericWindowState full = StatsFixtures.window(BINS, 200, new double[] {1.0, 9.0});

        // When
        final NumericWindowState merged = empty.merge(full);

        // Then
        assertThat(merged.min()).isEqualTo(1.0);
        assertThat(merged.max()).isEqualTo(9.0);
        assertThat(NumericWindowState.fromBytes(empty.toBytes()).count()).isZero();
    }

    @Test
    void shouldKeepEncodedSizeBoundedWhenOneMillionValuesArrive() {
        // Given
        final NumericWindowState state = NumericWindowState.empty(BINS, 200);
        final java.util.Random random = new java.util.Random(22);
        for (int i = 0; i < 100_000; i++) {
            state.update(random.nextGaussian());
        }
        final int sizeAt100k = state.toBytes().length;

        // When
        for (int i = 0; i < 900_000; i++) {
            state.update(random.nextGaussian() * 1000);
        }
        final int sizeAt1m = state.toBytes().length;

        // Then: the stated bound for B = 10, k = 200 is 6,594 bytes, whatever the traffic (up to 2^40 items).
        assertThat(NumericWindowState.maxEncodedSize(10, 200)).isEqualTo(6594);
        assertThat(sizeAt1m).isLessThanOrEqualTo(6594);
        assertThat(sizeAt1m - sizeAt100k).as("KLL grows only by a level or two").isLessThan(600);
        assertThat(state.count()).isEqualTo(1_000_000);
    }

    @Test
    void shouldRejectMalformedBytesWithClearErrorWhenDecoding() {
        // Given
        final byte[] bytes = StatsFixtures.window(BINS, 200, SAMPLE).toBytes();

        // When / Then
        assertThatThrownBy(() -> NumericWindowState.fromBytes(Arrays.copyOf(bytes, 50)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes: truncated");
        assertThatThrownBy(() -> NumericWindowState.fromBytes(new byte[] {'C', 1, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a NumericWindowState");
        assertThatThrownBy(() -> NumericWindowState.fromBytes(Arrays.copyOf(bytes, bytes.length - 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sketch length");
        final byte[] badCount = bytes.clone();
        // first bin count sits after magic, version, B and the 9 edges
        badCount[2 + 4 + 9 * 8 + 7] ^= 0x01;
        assertThatThrownBy(() -> NumericWindowState.fromBytes(badCount))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bin counts sum to");
        final byte[] categorical = CategoricalWindowState.empty(CategoricalReference.fromCounts(
                java.util.Map.of("a", 1L), 0, 1)).update("a").toBytes();
        categorical[categorical.length - 1] ^= 0x02;
        assertThatThrownBy(() -> CategoricalWindowState.fromBytes(categorical))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but total is");
    }

    @Test
    void shouldRefuseMergeWhenBinEdgesDiffer() {
        // Given
        final NumericWindowState a = NumericWindowState.empty(BINS);
        final NumericWindowState b = NumericWindowState.empty(new ReferenceBins(new double[] {0.0},
                new double[] {0.5, 0.5}));

        // When / Then
        assertThatThrownBy(() -> a.merge(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("other: bin edges differ");
    }

    @Test
    void shouldRoundTripAndMergeCategoricalStateWhenEncoded() {
        // Given
        final CategoricalReference reference = new CategoricalReference(List.of("visa", "amex", "ünïcode"),
                new double[] {0.5, 0.3, 0.2}, 0.0, 0.0);
        final CategoricalWindowState a = CategoricalWindowState.empty(reference).update("visa").update("ünïcode")
                .update(null);
        final CategoricalWindowState b = CategoricalWindowState.empty(reference).update("amex").update("new");

        // When
        final CategoricalWindowState merged = CategoricalWindowState.fromBytes(a.merge(b).toBytes());

        // Then
        assertThat(merged.categories()).containsExactly("visa", "amex", "ünïcode");
        assertThat(merged.categoryCounts()).containsExactly(1, 1, 1);
        assertThat(merged.otherCount()).isEqualTo(1);
        assertThat(merged.nullCount()).isEqualTo(1);
        assertThat(merged.totalCount()).isEqualTo(5);
        assertThat(a.totalCount()).isEqualTo(3);
    }

    @Test
    void shouldKeepCategoricalSizeConstantWhenOneMillionDistinctValuesArrive() {
        // Given
        final CategoricalReference reference = CategoricalReference.fromCounts(
                java.util.Map.of("a", 10L, "b", 5L, "c", 1L), 0, 2);
        final CategoricalWindowState state = CategoricalWindowState.empty(reference).update("a");
        final int sizeAfterOne = state.toBytes().length;

        // When: every value is a new, never-seen category
        for (int i = 0; i < 1_000_000; i++) {
            state.update("unseen-" + i);
        }

        // Then: 2 + 4 + (4+1)*2 + 8*3 + 16 = 56 bytes, independent of traffic.
        assertThat(state.toBytes()).hasSize(sizeAfterOne).hasSize(56);
        assertThat(state.otherCount()).isEqualTo(1_000_000);
    }
}
