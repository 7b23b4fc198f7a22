package io.driftguard.drift.policy;

import io.driftguard.avro.Alert;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.Severity;
import java.util.List;

/**
 * One rule of a {@link RollbackPolicy}: which FIRING alerts trigger an automatic action on which arm.
 *
 * @param name unique rule name, used in audits
 * @param monitors glob patterns on {@code Alert.monitor}; an alert matches if any pattern does
 * @param statistics glob patterns on {@code Alert.statistic}
 * @param subjects glob patterns on {@code Alert.subject}
 * @param models glob patterns on {@code Alert.modelName}
 * @param minSeverity the alert's severity must be at least this
 * @param minConsecutiveWindows the alert's persistence ({@code consecutiveBreaches} attribute) must be at least this;
 *     an alert without the attribute counts as 1
 * @param arm CHAMPION (action ROLLBACK) or CANARY (action CLEAR); must equal {@code Alert.arm}
 * @param dryRun when true this rule only alerts, even if the policy is live
 */
public record RollbackRule(String name, List<String> monitors, List<String> statistics, List<String> subjects,
        List<String> models, Severity minSeverity, int minConsecutiveWindows, Arm arm, boolean dryRun) {

    /** The arms a rule can act on, and the action each one gets. */
    public enum Arm {
        CHAMPION(ModelAction.ROLLBACK),
        CANARY(ModelAction.CLEAR);

        private final ModelAction action;

        Arm(final ModelAction action) {
            this.action = action;
        }

        public ModelAction action() {
            return action;
        }
    }

    public RollbackRule {
        if (name == null || name.isBlank()) {
            throw new PolicyConfigException("name", "must be non-blank");
        }
        monitors = patterns(monitors, "monitors");
        statistics = patterns(statistics, "statistics");
        subjects = patterns(subjects, "subjects");
        models = patterns(models, "models");
        if (minSeverity == null) {
            throw new PolicyConfigException("minSeverity", "must not be null");
        }
        if (minConsecutiveWindows < 1) {
            throw new PolicyConfigException("minConsecutiveWindows", "must be >= 1, got " + minConsecutiveWindows);
        }
        if (arm == null) {
            throw new PolicyConfigException("arm", "must not be null");
        }
    }

    private static List<String> patterns(final List<String> values, final String key) {
        if (values == null || values.isEmpty()) {
            return List.of("*");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || values.get(i).isEmpty()) {
                throw new PolicyConfigException(key + "[" + i + "]", "must be a non-empty pattern");
            }
        }
        return List.copyOf(values);
    }

    /** Null when the alert matches; else why not (for the decision's reason). */
    String mismatch(final Alert alert, final int persistence) {
        if (!anyMatches(monitors, alert.getMonitor())) {
            return "monitor '" + alert.getMonitor() + "' not in " + monitors;
        }
        if (!anyMatches(statistics, alert.getStatistic())) {
            return "statistic '" + alert.getStatistic() + "' not in " + statistics;
        }
        if (!anyMatches(subjects, alert.getSubject())) {
            return "subject '" + alert.getSubject() + "' not in " + subjects;
        }
        if (!anyMatches(models, alert.getModelName())) {
            return "model '" + alert.getModelName() + "' not in " + models;
        }
        if (!arm.name().equals(alert.getArm())) {
            return "arm '" + alert.getArm() + "' is not " + arm;
        }
        if (alert.getSeverity().ordinal() < minSeverity.ordinal()) {
            return "severity " + alert.getSeverity() + " below " + minSeverity;
        }
        if (persistence < minConsecutiveWindows) {
            return "persistence " + persistence + " windows below " + minConsecutiveWindows;
        }
        return null;
    }

    private static boolean anyMatches(final List<String> globs, final String value) {
        for (final String glob : globs) {
            if (GlobPattern.of(glob).matches(value)) {
                return true;
            }
        }
        return false;
    }
}
