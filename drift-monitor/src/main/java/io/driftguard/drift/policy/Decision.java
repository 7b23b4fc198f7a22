package io.driftguard.drift.policy;

import io.driftguard.avro.Alert;
import io.driftguard.avro.ModelCommand;
import java.util.Optional;

/**
 * What the rollback policy decided for one alert.
 *
 * @param outcome what happens
 * @param command the command to write to model-control; present only for {@link Outcome#ACT}
 * @param audit the audit Alert (status AUDIT) to write to alerts; present for ACT and DRY_RUN
 * @param reason human-readable why, always set
 * @param rule the matching rule's name, when one matched
 * @param cooldownKey the (model, arm) key whose last action time the caller must set to the decision time after ACT
 *     or DRY_RUN (see {@link RollbackPolicy#cooldownKey}); empty when the alert names no model or arm
 */
public record Decision(Outcome outcome, Optional<ModelCommand> command, Optional<Alert> audit, String reason,
        Optional<String> rule, Optional<String> cooldownKey) {

    /** The kinds of decision. */
    public enum Outcome {
        /** Issue the command. */
        ACT,
        /** A rule matched but the policy or rule is dry-run: audit only. */
        DRY_RUN,
        /** A rule matched but the (model, arm) acted less than the cool-down ago. */
        COOL_DOWN,
        /** No rule matches the alert. */
        NO_MATCHING_RULE,
        /** The alert is not FIRING, or names no model or no arm: nothing to roll back. */
        NOT_APPLICABLE
    }

    public Decision {
        if (outcome == null || command == null || audit == null || reason == null || rule == null
                || cooldownKey == null) {
            throw new IllegalArgumentException("decision fields: must not be null");
        }
        if (command.isPresent() != (outcome == Outcome.ACT)) {
            throw new IllegalArgumentException("command: present exactly when the outcome is ACT");
        }
    }

    /** Whether the caller must record the decision time for {@link #cooldownKey()}. */
    public boolean startsCooldown() {
        return outcome == Outcome.ACT || outcome == Outcome.DRY_RUN;
    }
}
