package io.driftguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExactlyOnceCheckTest {

  @Test
  void shouldPassWhenEveryValidEventHasExactlyOnePrediction() {
    // Given three published events, one dead-lettered
    final Set<String> published = Set.of("e1", "e2", "e3");

    // When the two valid ones have one prediction each
    final ExactlyOnceCheck.Result r = ExactlyOnceCheck.tally(published, Set.of("e3"), Map.of("e1", 1, "e2", 1), 2);

    // Then
    assertThat(r.passed()).isTrue();
    assertThat(r.validEvents()).isEqualTo(2);
    assertThat(r.deadLettered()).isEqualTo(1);
  }

  @Test
  void shouldFailNamingTheEventsWhenOneIsMissingOneDuplicatedAndOneUnknown() {
    // Given / When
    final ExactlyOnceCheck.Result r = ExactlyOnceCheck.tally(Set.of("e1", "e2", "e3"), Set.of(),
        Map.of("e1", 1, "e2", 2, "x9", 1), 4);

    // Then
    assertThat(r.passed()).isFalse();
    assertThat(r.missing()).isEqualTo(1);
    assertThat(r.duplicated()).isEqualTo(1);
    assertThat(r.unknown()).isEqualTo(1);
    assertThat(r.examples()).containsEntry("missing", java.util.List.of("e3"))
        .containsEntry("duplicated", java.util.List.of("e2")).containsEntry("unknown", java.util.List.of("x9"));
  }

  @Test
  void shouldFailWhenNoEventWasPublished() {
    // Given / When / Then: an empty run proves nothing
    assertThat(ExactlyOnceCheck.tally(Set.of(), Set.of(), Map.of(), 0).passed()).isFalse();
  }
}
