package io.driftguard.model.synth;

import java.time.Instant;
import java.util.Objects;

/**
 * What a scenario changes and exactly when: the ground truth a drift monitor's alert is checked against.
 *
 * @param scenario the injected drift
 * @param onset first instant affected; for event-side scenarios it is compared with eventTime, for
 *     {@link Scenario#LABEL_OUTAGE} with labelTime
 * @param description human-readable summary of the change, with its parameters
 */
public record DriftOnset(Scenario scenario, Instant onset, String description) {
    public DriftOnset {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(onset, "onset");
        Objects.requireNonNull(description, "description");
        if (scenario == Scenario.NONE) {
            throw new IllegalArgumentException("scenario: a DriftOnset needs a drift scenario, not NONE");
        }
    }
}
