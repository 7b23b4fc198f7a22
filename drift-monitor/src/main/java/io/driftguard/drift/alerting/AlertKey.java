package io.driftguard.drift.alerting;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * What one hysteresis state machine watches: a (monitor, subject, statistic, model name, model version, arm).
 *
 * @param monitor e.g. feature-drift; non-blank
 * @param subject e.g. a feature name; non-blank
 * @param statistic e.g. psi; non-blank
 * @param modelName null when not model-specific
 * @param modelVersion null when not model-specific
 * @param arm CHAMPION, CANARY or SHADOW; null when not arm-specific
 */
public record AlertKey(String monitor, String subject, String statistic, String modelName, String modelVersion,
        String arm) {

    /** The rollout arms an alert may name. */
    public static final Set<String> ARMS = Set.of("CHAMPION", "CANARY", "SHADOW");

    public AlertKey {
        requireText(monitor, "monitor");
        requireText(subject, "subject");
        requireText(statistic, "statistic");
        if (modelName != null && modelName.isBlank()) {
            throw new IllegalArgumentException("modelName: must be null or non-blank");
        }
        if (modelVersion != null && modelVersion.isBlank()) {
            throw new IllegalArgumentException("modelVersion: must be null or non-blank");
        }
        if (arm != null && !ARMS.contains(arm)) {
            throw new IllegalArgumentException("arm: must be one of " + ARMS + " or null, got '" + arm + "'");
        }
    }

    /**
     * A stable, unambiguous identity (each part length-prefixed), usable as a state-store key and to derive
     * deterministic alert ids.
     */
    public String id() {
        final StringBuilder sb = new StringBuilder();
        for (final String part : new String[] {monitor, subject, statistic, modelName, modelVersion, arm}) {
            if (part == null) {
                sb.append("-1:");
            } else {
                sb.append(part.getBytes(StandardCharsets.UTF_8).length).append(':').append(part);
            }
            sb.append('|');
        }
        return sb.toString();
    }

    private static void requireText(final String value, final String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + ": must be non-blank");
        }
    }
}
