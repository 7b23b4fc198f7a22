package io.driftguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.ModelAction;
import io.driftguard.model.synth.Scenario;
import io.driftguard.model.synth.SynthConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DemoPlanTest {
  private static final Instant WALL = Instant.parse("2026-11-28T14:00:30Z");
  private static final SynthConfig HISTORY = SynthConfig.builder().cards(DemoOptions.CARDS)
      .duration(Duration.ofDays(14)).build();

  @Test
  void shouldEndTheLiveEventTimeBeforeTheWallClockWhenPlanned() {
    // Given 60 s at 100 events/s: x3600, 60 hours of event time
    final DemoOptions options = DemoOptions.defaults(Path.of("r")).withDuration(Duration.ofSeconds(60));

    // When
    final DemoPlan plan = DemoPlan.create(options, HISTORY, WALL, "v2");

    // Then the live phase ends no later than the wall clock (the broker refuses future timestamps)
    assertThat(plan.speed()).isEqualTo(3600.0);
    assertThat(Duration.between(plan.liveStart(), plan.liveEnd())).isEqualTo(Duration.ofHours(60));
    assertThat(plan.liveEnd()).isBeforeOrEqualTo(WALL);
    assertThat(plan.generator().start()).isEqualTo(plan.liveStart().minus(Duration.ofDays(14)));
    assertThat(plan.generator().end()).isAfter(plan.liveEnd());
    assertThat(plan.wallOffsetMs(plan.liveEnd())).isEqualTo(60_000);
  }

  @Test
  void shouldShadowThenCanaryBeforeTheOnsetWhenTheScenarioIsDriftAndRollback() {
    // Given / When
    final DemoPlan plan = DemoPlan.create(DemoOptions.defaults(Path.of("r")), HISTORY, WALL, "v2");

    // Then
    assertThat(plan.generator().scenario()).isEqualTo(Scenario.AMOUNT_SHIFT);
    assertThat(plan.commands()).extracting(DemoPlan.PlannedCommand::action)
        .containsExactly(ModelAction.SET_SHADOW, ModelAction.SET_CANARY);
    assertThat(plan.at(plan.commands().get(1).atFraction())).isBefore(plan.onset());
    assertThat(plan.onset()).isAfter(plan.liveStart()).isBefore(plan.liveEnd());
  }

  @Test
  void shouldPlanNoDriftAndNoRolloutWhenSteady() {
    // Given / When
    final DemoPlan plan = DemoPlan.create(DemoOptions.defaults(Path.of("r")).withScenario(DemoScenario.STEADY),
        HISTORY, WALL, "v2");

    // Then
    assertThat(plan.onset()).isNull();
    assertThat(plan.generator().scenario()).isEqualTo(Scenario.NONE);
    assertThat(plan.commands()).isEmpty();
  }

  @Test
  void shouldSkipTheRolloutWhenThereIsNoCandidate() {
    // Given / When
    final DemoPlan plan = DemoPlan.create(DemoOptions.defaults(Path.of("r")), HISTORY, WALL, null);

    // Then the drift is still injected
    assertThat(plan.commands()).isEmpty();
    assertThat(plan.onset()).isNotNull();
  }
}
