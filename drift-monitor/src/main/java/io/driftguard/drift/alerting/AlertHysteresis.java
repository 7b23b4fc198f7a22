package io.driftguard.drift.alerting;

import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.Severity;
import io.driftguard.drift.stats.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Alert hysteresis for one alert key, as a pure state machine: {@code (state, verdict, now) -> (state, alert?)}.
 *
 * <ul>
 *   <li>A WARNING or CRITICAL window extends the breach streak and resets the clean streak; a CLEAN window does the
 *       opposite; an INSUFFICIENT_DATA window changes no streak (no evidence either way).</li>
 *   <li>Not firing: after N consecutive breaching windows it emits FIRING, CRITICAL if the last N were all CRITICAL,
 *       else WARNING.</li>
 *   <li>Firing WARNING: once the last N windows are all CRITICAL it emits FIRING again at CRITICAL (escalation).
 *       Severity never drops while firing.</li>
 *   <li>Firing: with {@code repeatWhileFiring}, every other breaching window re-emits FIRING with the current value.
 *       After M consecutive clean windows it emits RESOLVED.</li>
 *   <li>A window whose end is not after the last applied window's end (a replay or duplicate) is ignored.</li>
 * </ul>
 *
 * <p>Alert ids are name-based UUIDs of (key, status, window end), so replaying the same windows gives the same ids.
 */
public final class AlertHysteresis {

    /** {@code Alert.attributes} keys written here. */
    public static final String ATTR_CONSECUTIVE_BREACHES = "consecutiveBreaches";
    public static final String ATTR_CONSECUTIVE_CLEAN = "consecutiveClean";
    public static final String ATTR_FIRING_SINCE = "firingSince";
    public static final String ATTR_FIRING_ALERT_ID = "firingAlertId";
    public static final String ATTR_TRANSITION = "transition";

    private final HysteresisConfig config;

    public AlertHysteresis(final HysteresisConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config: must not be null");
        }
        this.config = config;
    }

    public HysteresisConfig config() {
        return config;
    }

    public Transition apply(final HysteresisState state, final WindowVerdict verdict, final Instant now) {
        if (state == null) {
            throw new IllegalArgumentException("state: must not be null (use HysteresisState.INITIAL)");
        }
        if (verdict == null) {
            throw new IllegalArgumentException("verdict: must not be null");
        }
        if (now == null) {
            throw new IllegalArgumentException("now: must not be null");
        }
        final long windowEndMs = verdict.windowEnd().toEpochMilli();
        if (state.lastWindowEndMs() != Long.MIN_VALUE && windowEndMs <= state.lastWindowEndMs()) {
            return new Transition(state, Optional.empty(), Optional.of("window ending " + verdict.windowEnd()
                    + " is not after the last applied window ending " + Instant.ofEpochMilli(state.lastWindowEndMs())));
        }
        return switch (verdict.level()) {
            case INSUFFICIENT_DATA -> unchanged(state.withLastWindowEnd(windowEndMs));
            case CLEAN -> clean(state, verdict, now, windowEndMs);
            case WARNING, CRITICAL -> breach(state, verdict, now, windowEndMs);
        };
    }

    private Transition breach(final HysteresisState state, final WindowVerdict verdict, final Instant now,
            final long windowEndMs) {
        final int breaches = saturatingIncrement(state.breachStreak());
        final int criticals = verdict.level() == Level.CRITICAL ? saturatingIncrement(state.criticalStreak()) : 0;
        final Severity persistent = criticals >= config.raiseAfter() ? Severity.CRITICAL : Severity.WARNING;
        if (!state.firing()) {
            if (breaches < config.raiseAfter()) {
                return unchanged(new HysteresisState(false, null, breaches, criticals, 0, windowEndMs,
                        Long.MIN_VALUE, ""));
            }
            final Alert alert = alert(verdict, AlertStatus.FIRING, persistent, now, breaches, 0, windowEndMs, null,
                    "raised");
            return emit(new HysteresisState(true, persistent, breaches, criticals, 0, windowEndMs, windowEndMs,
                    alert.getAlertId()), alert);
        }
        final boolean escalates = state.severity() == Severity.WARNING && persistent == Severity.CRITICAL;
        final Severity severity = escalates ? Severity.CRITICAL : state.severity();
        final HysteresisState next = new HysteresisState(true, severity, breaches, criticals, 0, windowEndMs,
                state.firingSinceMs(), state.firingAlertId());
        if (!escalates && !config.repeatWhileFiring()) {
            return unchanged(next);
        }
        return emit(next, alert(verdict, AlertStatus.FIRING, severity, now, breaches, 0, state.firingSinceMs(),
                state.firingAlertId(), escalates ? "escalated" : "repeated"));
    }

    private Transition clean(final HysteresisState state, final WindowVerdict verdict, final Instant now,
            final long windowEndMs) {
        final int cleans = saturatingIncrement(state.cleanStreak());
        if (!state.firing() || cleans < config.clearAfter()) {
            return unchanged(new HysteresisState(state.firing(), state.severity(), 0, 0, cleans, windowEndMs,
                    state.firingSinceMs(), state.firingAlertId()));
        }
        final Alert alert = alert(verdict, AlertStatus.RESOLVED, state.severity(), now, 0, cleans,
                state.firingSinceMs(), state.firingAlertId(), "resolved");
        return emit(new HysteresisState(false, null, 0, 0, cleans, windowEndMs, Long.MIN_VALUE, ""), alert);
    }

    private static int saturatingIncrement(final int streak) {
        return streak == Integer.MAX_VALUE ? streak : streak + 1;
    }

    private static Transition unchanged(final HysteresisState state) {
        return new Transition(state, Optional.empty(), Optional.empty());
    }

    private static Transition emit(final HysteresisState state, final Alert alert) {
        return new Transition(state, Optional.of(alert), Optional.empty());
    }

    private Alert alert(final WindowVerdict verdict, final AlertStatus status, final Severity severity,
            final Instant now, final int breaches, final int cleans, final long firingSinceMs,
            final String firingAlertId, final String transition) {
        final AlertKey key = verdict.key();
        final Map<String, String> attributes = new HashMap<>();
        attributes.put(ATTR_TRANSITION, transition);
        attributes.put(ATTR_FIRING_SINCE, Instant.ofEpochMilli(firingSinceMs).toString());
        if (status == AlertStatus.FIRING) {
            attributes.put(ATTR_CONSECUTIVE_BREACHES, Integer.toString(breaches));
        } else {
            attributes.put(ATTR_CONSECUTIVE_CLEAN, Integer.toString(cleans));
        }
        if (firingAlertId != null) {
            attributes.put(ATTR_FIRING_ALERT_ID, firingAlertId);
        }
        return Alert.newBuilder()
                .setAlertId(alertId(key, status, verdict.windowEnd()))
                .setMonitor(key.monitor())
                .setSubject(key.subject())
                .setStatistic(key.statistic())
                .setValue(Double.isNaN(verdict.value()) ? null : verdict.value())
                .setThreshold(Double.isNaN(verdict.threshold()) ? null : verdict.threshold())
                .setSeverity(severity)
                .setStatus(status)
                .setWindowStart(verdict.windowStart())
                .setWindowEnd(verdict.windowEnd())
                .setModelName(key.modelName())
                .setModelVersion(key.modelVersion())
                .setArm(key.arm())
                .setRecommendedAction(status == AlertStatus.FIRING ? recommendedAction(severity, key.arm()) : null)
                .setMessage(message(key, verdict, status, severity, breaches, cleans))
                .setRaisedAt(now)
                .setAttributes(attributes)
                .build();
    }

    static String alertId(final AlertKey key, final AlertStatus status, final Instant windowEnd) {
        return UUID.nameUUIDFromBytes((key.id() + status + '|' + windowEnd.toEpochMilli())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String recommendedAction(final Severity severity, final String arm) {
        if (severity != Severity.CRITICAL) {
            return "INVESTIGATE";
        }
        if ("CHAMPION".equals(arm)) {
            return "ROLLBACK";
        }
        return "CANARY".equals(arm) ? "CLEAR_CANARY" : "INVESTIGATE";
    }

    private static String message(final AlertKey key, final WindowVerdict verdict, final AlertStatus status,
            final Severity severity, final int breaches, final int cleans) {
        final String model = key.modelName() == null ? ""
                : " of model " + key.modelName() + (key.modelVersion() == null ? "" : " v" + key.modelVersion())
                        + (key.arm() == null ? "" : " (" + key.arm() + ")");
        if (status == AlertStatus.RESOLVED) {
            return String.format(Locale.ROOT, "%s %s on '%s'%s is back within threshold for %d consecutive windows",
                    key.monitor(), key.statistic(), key.subject(), model, cleans);
        }
        return String.format(Locale.ROOT, "%s %s on '%s'%s: %s %.6g against threshold %.6g, %d consecutive breaching"
                + " windows", key.monitor(), key.statistic(), key.subject(), model, severity, verdict.value(),
                verdict.threshold(), breaches);
    }
}
