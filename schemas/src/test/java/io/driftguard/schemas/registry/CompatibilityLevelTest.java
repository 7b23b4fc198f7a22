package io.driftguard.schemas.registry;

import static io.driftguard.schemas.registry.InMemorySchemaRegistryClientTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityLevelTest {
  private static final Schema A = parse("""
      {"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}""");
  private static final Schema AB = parse("""
      {"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"b","type":"int"}]}""");
  private static final Schema ABD = parse("""
      {"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"b","type":"int","default":1}]}""");
  private static final Schema B_ONLY = parse("""
      {"type":"record","name":"R","fields":[{"name":"b","type":"int","default":1}]}""");

  @Test
  void shouldFollowConfluentSemanticsWhenComparingWithLatest() {
    // Adding a field without default: readers of the new schema cannot read old data (not BACKWARD) but old
    // readers can read new data (FORWARD).
    assertThat(CompatibilityLevel.BACKWARD.problems(AB, List.of(A))).isNotEmpty();
    assertThat(CompatibilityLevel.FORWARD.problems(AB, List.of(A))).isEmpty();
    assertThat(CompatibilityLevel.FULL.problems(AB, List.of(A))).isNotEmpty();
    // With a default it is both.
    assertThat(CompatibilityLevel.FULL.problems(ABD, List.of(A))).isEmpty();
    assertThat(CompatibilityLevel.NONE.problems(B_ONLY, List.of(AB))).isEmpty();
  }

  @Test
  void shouldCheckEveryVersionWhenLevelIsTransitive() {
    // Given: A then ABD; B_ONLY drops 'a' which A requires, but ABD->B_ONLY is backward fine
    final List<Schema> history = List.of(A, ABD);

    // Then: B_ONLY reading A data misses nothing required? B_ONLY reads A: 'b' has default -> backward ok
    assertThat(CompatibilityLevel.BACKWARD.problems(B_ONLY, history)).isEmpty();
    assertThat(CompatibilityLevel.FORWARD.problems(B_ONLY, history)).isNotEmpty();
    assertThat(CompatibilityLevel.FORWARD_TRANSITIVE.problems(B_ONLY, history)).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void shouldNameTheBadValueWhenLevelIsUnknown() {
    assertThat(CompatibilityLevel.parse(" full_transitive ")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
    assertThatThrownBy(() -> CompatibilityLevel.parse("STRICT"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STRICT");
  }
}
