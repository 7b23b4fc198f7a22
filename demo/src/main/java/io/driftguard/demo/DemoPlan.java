package io.driftguard.demo;

import io.driftguard.avro.ModelAction;
import io.driftguard.model.synth.Scenario;
import io.driftguard.model.synth.SynthConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * The event-time layout of one run: a history the models are trained on, a short backfill published before the live
 * phase (so card windows are warm when scoring starts), and the live phase paced on a scenario clock that ends at
 * about the wall-clock end of the run. Live event time stays in the past: the broker refuses records stamped more
 * than an hour ahead, and history older than a topic's retention would be deleted.
 *
 * @param generator one generator config covering history and live (same seed, same cards, drift from the onset)
 * @param liveStart first event time of the live phase (end of the history, label cutoff of training)
 * @param liveEnd end (exclusive) of the live phase in event time
 * @param backfillStart first event time published before the live phase
 * @param speed event-time milliseconds per wall-clock millisecond
 * @param onset first drifted event time, or null for {@code steady}
 * @param commands rollout commands the demo operator issues, at fractions of the live phase
 */
record DemoPlan(DemoScenario scenario, SynthConfig generator, Instant liveStart, Instant liveEnd,
    Instant backfillStart, double speed, Instant onset, List<PlannedCommand> commands) {

  static final Duration BACKFILL = Duration.ofHours(24);
  static final double SHADOW_AT = 0.15;
  static final double CANARY_AT = 0.25;
  static final double ONSET_AT = 0.45;
  static final double CANARY_PERCENT = 25;
  /** Issued by the demo, as an ML engineer would run {@code driftguard promote --shadow/--canary}. */
  static final String OPERATOR = "demo-operator";

  /** A rollout command issued when the live phase reaches {@code atFraction} of its event span. */
  record PlannedCommand(double atFraction, ModelAction action, String version, Double canaryPercent, String reason) {
    PlannedCommand {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(reason, "reason");
    }
  }

  DemoPlan {
    Objects.requireNonNull(generator, "generator");
    commands = List.copyOf(commands);
  }

  /**
   * @param history the training config's generator (its seed, cards and duration are kept; start is moved)
   * @param candidate the version put in shadow and canary, or null when there is none
   */
  static DemoPlan create(final DemoOptions options, final SynthConfig history, final Instant wallStart,
      final String candidate) {
    final Duration span = options.eventSpan();
    final Instant liveStart = wallStart.minus(span).truncatedTo(ChronoUnit.HOURS);
    final Instant liveEnd = liveStart.plus(span);
    final Instant historyStart = liveStart.minus(history.duration());
    final SynthConfig.Builder b = history.toBuilder().start(historyStart)
        .duration(history.duration().plus(span).plus(Duration.ofHours(1)));
    final Instant onset = options.scenario() == DemoScenario.STEADY ? null
        : liveStart.plusMillis((long) (span.toMillis() * ONSET_AT));
    switch (options.scenario()) {
      case DRIFT_AND_ROLLBACK -> b.scenario(Scenario.AMOUNT_SHIFT, onset).amountShiftSigmas(2.0);
      case NULL_SPIKE -> b.scenario(Scenario.NULL_SPIKE, onset).nullSpikeRate(0.6);
      case LABEL_OUTAGE -> b.scenario(Scenario.LABEL_OUTAGE, onset);
      case STEADY -> b.scenario(Scenario.NONE, null);
      default -> throw new IllegalStateException("unhandled scenario " + options.scenario());
    }
    final List<PlannedCommand> commands = options.scenario() == DemoScenario.DRIFT_AND_ROLLBACK && candidate != null
        ? List.of(
            new PlannedCommand(SHADOW_AT, ModelAction.SET_SHADOW, candidate, null,
                "demo: candidate " + candidate + " (trained on a biased slice) scores in shadow"),
            new PlannedCommand(CANARY_AT, ModelAction.SET_CANARY, candidate, CANARY_PERCENT,
                "demo: shadow looked fine, " + candidate + " takes " + (int) CANARY_PERCENT + "% of cards as canary"))
        : List.of();
    return new DemoPlan(options.scenario(), b.build(), liveStart, liveEnd, liveStart.minus(BACKFILL),
        options.clockSpeed(), onset, commands);
  }

  /** Wall-clock offset from the start of the live phase at which {@code eventTime} is published. */
  long wallOffsetMs(final Instant eventTime) {
    return (long) ((eventTime.toEpochMilli() - liveStart.toEpochMilli()) / speed);
  }

  /** Event time reached {@code wallOffsetMs} into the live phase. */
  Instant eventTimeAt(final long wallOffsetMs) {
    return liveStart.plusMillis((long) (wallOffsetMs * speed));
  }

  Instant at(final double fraction) {
    return liveStart.plusMillis((long) ((liveEnd.toEpochMilli() - liveStart.toEpochMilli()) * fraction));
  }
}
