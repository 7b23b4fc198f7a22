package io.driftguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetTest {
  private static Dataset small() {
    return Dataset.of(List.of("a", "b"), new double[][] {{1, 2}, {3, Double.NaN}, {5, 6}},
        new int[] {0, 1, 0}, new long[] {10, 20, 30});
  }

  @Test
  void shouldSelectRowsByEventTimeWhenSplitting() {
    // Given rows at t=10, 20, 30 with a slice column
    final Dataset d = small().withSlices(Map.of("channel", new String[] {"POS", "ONLINE", "POS"}));

    // When taking [20, 30)
    final Dataset mid = d.between(20, 30);

    // Then only the middle row remains, with its slice value
    assertThat(mid.size()).isEqualTo(1);
    assertThat(mid.labels()).containsExactly(1);
    assertThat(mid.sliceColumns().get("channel")).containsExactly("ONLINE");
    assertThat(mid.featureSetHash()).isEqualTo(d.featureSetHash());
  }

  @Test
  void shouldChangeSnapshotIdWhenAValueOrTheConfigChanges() {
    final Dataset d = small();
    final Dataset changed = Dataset.of(List.of("a", "b"), new double[][] {{1, 2}, {3, Double.NaN}, {5, 6.5}},
        new int[] {0, 1, 0}, new long[] {10, 20, 30});

    assertThat(d.snapshotId("cfg")).isEqualTo(small().snapshotId("cfg"));
    assertThat(d.snapshotId("cfg")).isNotEqualTo(changed.snapshotId("cfg"));
    assertThat(d.snapshotId("cfg")).isNotEqualTo(d.snapshotId("other-cfg"));
  }

  @Test
  void shouldRejectInconsistentInputNamingTheProblem() {
    assertThatThrownBy(() -> Dataset.of(List.of("a"), new double[][] {{1}}, new int[] {2}, new long[] {1}))
        .hasMessageContaining("label of row 0 must be 0 or 1");
    assertThatThrownBy(() -> Dataset.of(List.of("a", "b"), new double[][] {{1}}, new int[] {0}, new long[] {1}))
        .hasMessageContaining("row 0 must have 2 values");
    assertThatThrownBy(() -> Dataset.of(List.of("a", "a"), new double[][] {{1, 1}}, new int[] {0}, new long[] {1}))
        .hasMessageContaining("duplicates");
    assertThatThrownBy(() -> new Dataset(List.of("c"), new double[][] {{3}}, new int[] {0}, new long[] {1}, null,
        null, Map.of("c", List.of("x", "y")), null))
        .hasMessageContaining("categorical feature 'c'");
  }
}
