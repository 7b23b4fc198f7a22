package io.driftguard.drift.alerting;

import io.driftguard.avro.Alert;
import java.util.Optional;

/**
 * The result of applying one window verdict: the next state, and the alert to emit, if any.
 *
 * @param ignoredReason why the verdict changed nothing (a window not after the last one); empty otherwise
 */
public record Transition(HysteresisState state, Optional<Alert> alert, Optional<String> ignoredReason) {

    public Transition {
        if (state == null || alert == null || ignoredReason == null) {
            throw new IllegalArgumentException("state, alert and ignoredReason: must not be null");
        }
    }
}
