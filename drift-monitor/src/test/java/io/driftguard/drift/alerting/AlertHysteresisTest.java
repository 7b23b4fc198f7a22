package io.driftguard.drift.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.Severity;
import io.driftguard.drift.stats.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertHysteresisTest {

    private static final AlertKey KEY = new AlertKey("feature-drift", "amount", "psi", "fraud", "3", "CHAMPION");
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    /** Feeds one level per window, starting at T0, and collects the alerts. */
    private static final class Run {
        private final AlertHysteresis hysteresis;
        private HysteresisState state = HysteresisState.INITIAL;
        private int window;
        private final List<Alert> alerts = new ArrayList<>();

        Run(final HysteresisConfig config) {
            this.hysteresis = new AlertHysteresis(config);
        }

        Optional<Alert> feed(final Level level, final double value) {
            final Instant start = T0.plus(WINDOW.multipliedBy(window++));
            final double threshold = level == Level.CRITICAL ? 0.2 : 0.1;
            final Transition t = hysteresis.apply(state, new WindowVerdict(KEY, start, start.plus(WINDOW), level,
                    value, threshold), NOW);
            state = t.state();
            t.alert().ifPresent(alerts::add);
            return t.alert();
        }

        void feed(final Level... levels) {
            for (final Level level : levels) {
                feed(level, level == Level.CLEAN ? 0.01 : 0.15);
            }
        }
    }

    @Test
    void shouldFireOnlyAfterNConsecutiveBreachesWhenBreachesArePersistent() {
        // Given
        final Run run = new Run(new HysteresisConfig(3, 2, false));

        // When
        run.feed(Level.WARNING, Level.WARNING, Level.CLEAN, Level.WARNING, Level.WARNING);

        // Then: the clean window broke the streak
        assertThat(run.alerts).isEmpty();

        // When
        run.feed(Level.WARNING);

        // Then
        assertThat(run.alerts).hasSize(1);
        final Alert fired = run.alerts.get(0);
        assertThat(fired.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(fired.getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(fired.getMonitor()).isEqualTo("feature-drift");
        assertThat(fired.getSubject()).isEqualTo("amount");
        assertThat(fired.getStatistic()).isEqualTo("psi");
        assertThat(fired.getModelName()).isEqualTo("fraud");
        assertThat(fired.getModelVersion()).isEqualTo("3");
        assertThat(fired.getArm()).isEqualTo("CHAMPION");
        assertThat(fired.getValue()).isEqualTo(0.15);
        assertThat(fired.getThreshold()).isEqualTo(0.1);
        assertThat(fired.getWindowStart()).isEqualTo(T0.plus(WINDOW.multipliedBy(5)));
        assertThat(fired.getWindowEnd()).isEqualTo(T0.plus(WINDOW.multipliedBy(6)));
        assertThat(fired.getRaisedAt()).isEqualTo(NOW);
        assertThat(fired.getAttributes()).containsEntry(AlertHysteresis.ATTR_CONSECUTIVE_BREACHES, "3");
        assertThat(fired.getRecommendedAction()).isEqualTo("INVESTIGATE");
    }

    @Test
    void shouldResolveOnlyAfterMConsecutiveCleanWindowsWhenFiring() {
        // Given
        final Run run = new Run(new HysteresisConfig(2, 3, false));
        run.feed(Level.WARNING, Level.WARNING);
        final String firingId = run.alerts.get(0).getAlertId();

        // When: two clean, one breach (resets), then three clean
        run.feed(Level.CLEAN, Level.CLEAN, Level.WARNING, Level.CLEAN, Level.CLEAN);

        // Then
        assertThat(run.alerts).hasSize(1);
        assertThat(run.state.firing()).isTrue();

        // When
        run.feed(Level.CLEAN);

        // Then
        assertThat(run.alerts).hasSize(2);
        final Alert resolved = run.alerts.get(1);
        assertThat(resolved.getStatus()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(resolved.getAttributes()).containsEntry(AlertHysteresis.ATTR_FIRING_ALERT_ID, firingId)
                .containsEntry(AlertHysteresis.ATTR_CONSECUTIVE_CLEAN, "3");
        assertThat(resolved.getRecommendedAction()).isNull();
        assertThat(run.state).isEqualTo(new HysteresisState(false, null, 0, 0, 3,
                T0.plus(WINDOW.multipliedBy(8)).toEpochMilli(), Long.MIN_VALUE, ""));
    }

    @Test
    void shouldFireCriticalWhenLastNWindowsAreAllCritical() {
        // Given
        final Run run = new Run(new HysteresisConfig(2, 2, false));

        // When
        run.feed(Level.CRITICAL, Level.CRITICAL);

        // Then
        assertThat(run.alerts).singleElement().satisfies(a -> {
            assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.getRecommendedAction()).isEqualTo("ROLLBACK");
        });
    }

    @Test
    void shouldEscalateFromWarningToCriticalWhenCriticalPersists() {
        // Given
        final Run run = new Run(new HysteresisConfig(2, 2, false));
        run.feed(Level.WARNING, Level.CRITICAL);
        assertThat(run.alerts).singleElement().extracting(Alert::getSeverity).isEqualTo(Severity.WARNING);

        // When
        run.feed(Level.CRITICAL);

        // Then
        assertThat(run.alerts).hasSize(2);
        assertThat(run.alerts.get(1).getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(run.alerts.get(1).getAttributes()).containsEntry(AlertHysteresis.ATTR_TRANSITION, "escalated")
                .containsEntry(AlertHysteresis.ATTR_FIRING_ALERT_ID, run.alerts.get(0).getAlertId());

        // When: back to warning, still firing, no repeat configured
        run.feed(Level.WARNING);

        // Then: severity does not drop while firing
        assertThat(run.alerts).hasSize(2);
        assertThat(run.state.severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void shouldRepeatFiringWithPersistenceWhenConfigured() {
        // Given
        final Run run = new Run(new HysteresisConfig(2, 2, true));

        // When
        run.feed(Level.WARNING, Level.WARNING, Level.WARNING, Level.INSUFFICIENT_DATA, Level.WARNING);

        // Then: the window without enough data neither breaks nor extends the streak
        assertThat(run.alerts).extracting(a -> a.getAttributes().get(AlertHysteresis.ATTR_CONSECUTIVE_BREACHES))
                .containsExactly("2", "3", "4");
        assertThat(run.alerts).extracting(Alert::getStatus).containsOnly(AlertStatus.FIRING);
    }

    @Test
    void shouldIgnoreReplayedWindowWhenItIsNotAfterTheLastOne() {
        // Given
        final AlertHysteresis hysteresis = new AlertHysteresis(new HysteresisConfig(1, 1, true));
        final WindowVerdict verdict = new WindowVerdict(KEY, T0, T0.plus(WINDOW), Level.WARNING, 0.15, 0.1);
        final Transition first = hysteresis.apply(HysteresisState.INITIAL, verdict, NOW);

        // When
        final Transition replay = hysteresis.apply(first.state(), verdict, NOW.plusSeconds(1));

        // Then
        assertThat(first.alert()).isPresent();
        assertThat(replay.alert()).isEmpty();
        assertThat(replay.state()).isEqualTo(first.state());
        assertThat(replay.ignoredReason()).hasValueSatisfying(r -> assertThat(r).contains("not after"));
    }

    @Test
    void shouldGiveSameAlertIdWhenSameWindowIsReplayedFromScratch() {
        // Given
        final AlertHysteresis hysteresis = new AlertHysteresis(new HysteresisConfig(1, 1, true));
        final WindowVerdict verdict = new WindowVerdict(KEY, T0, T0.plus(WINDOW), Level.WARNING, 0.15, 0.1);

        // When
        final Alert a = hysteresis.apply(HysteresisState.INITIAL, verdict, NOW).alert().orElseThrow();
        final Alert b = hysteresis.apply(HysteresisState.INITIAL, verdict, NOW.plusSeconds(60)).alert().orElseThrow();

        // Then
        assertThat(a.getAlertId()).isEqualTo(b.getAlertId());
    }

    @Test
    void shouldRoundTripStateWhenEncoded() {
        // Given
        final Run run = new Run(new HysteresisConfig(2, 5, false));
        run.feed(Level.CRITICAL, Level.CRITICAL, Level.CLEAN);

        // When
        final HysteresisState decoded = HysteresisState.fromBytes(run.state.toBytes());

        // Then
        assertThat(decoded).isEqualTo(run.state);
        assertThat(decoded.firing()).isTrue();
        assertThat(run.state.toBytes()).hasSize(72);
        assertThat(HysteresisState.fromBytes(HysteresisState.INITIAL.toBytes())).isEqualTo(HysteresisState.INITIAL);
        assertThatThrownBy(() -> HysteresisState.fromBytes(new byte[] {'H', 1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }

    @Test
    void shouldNameTheKeyWhenInputIsInvalid() {
        assertThatThrownBy(() -> new AlertKey("m", "s", "psi", null, null, "BLUE"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("arm:");
        assertThatThrownBy(() -> new HysteresisConfig(0, 1, true)).hasMessageStartingWith("raiseAfter:");
        assertThatThrownBy(() -> new WindowVerdict(KEY, T0, T0, Level.CLEAN, 0, 0))
                .hasMessageStartingWith("windowEnd:");
    }
}
