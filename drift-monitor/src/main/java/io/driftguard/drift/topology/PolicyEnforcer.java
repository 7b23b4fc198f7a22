package io.driftguard.drift.topology;

import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.drift.metrics.DriftMetrics;
import io.driftguard.drift.policy.Decision;
import io.driftguard.drift.policy.RollbackPolicy;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs FIRING alerts (keyed by model name, so one task sees all of a model's alerts) through the rollback policy,
 * with each (model, arm)'s last action time in {@link DriftTopology#COOLDOWN_STORE}. Forwards the ModelCommand
 * (keyed by model name) and the AUDIT alert (keyed {@code rollback-policy/<model>}).
 */
final class PolicyEnforcer implements Processor<String, Alert, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEnforcer.class);

    private final RollbackPolicy policy;
    private final DriftMetrics metrics;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Long> cooldowns;

    PolicyEnforcer(final RollbackPolicy policy, final DriftMetrics metrics) {
        this.policy = policy;
        this.metrics = metrics;
    }

    @Override
    public void init(final ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.cooldowns = context.getStateStore(DriftTopology.COOLDOWN_STORE);
    }

    @Override
    public void process(final Record<String, Alert> record) {
        final Alert alert = record.value();
        if (alert == null || alert.getStatus() != AlertStatus.FIRING) {
            return;
        }
        final Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        final String cooldownKey = alert.getModelName() == null || alert.getArm() == null ? null
                : RollbackPolicy.cooldownKey(alert.getModelName(), alert.getArm());
        final Long last = cooldownKey == null ? null : cooldowns.get(cooldownKey);
        final Decision decision = policy.decide(alert, now,
                java.util.Optional.ofNullable(last).map(Instant::ofEpochMilli));
        metrics.policyDecision(decision.outcome().name());
        if (decision.outcome() != Decision.Outcome.NO_MATCHING_RULE
                && decision.outcome() != Decision.Outcome.NOT_APPLICABLE) {
            LOG.info("rollback policy on alert {}: {} ({})", alert.getAlertId(), decision.outcome(), decision.reason());
        }
        if (decision.startsCooldown()) {
            decision.cooldownKey().ifPresent(k -> cooldowns.put(k, now.toEpochMilli()));
        }
        decision.command().ifPresent(c -> context.forward(new Record<>(c.getModelName(), c, record.timestamp())));
        decision.audit().ifPresent(a -> context.forward(new Record<>(a.getMonitor() + "/" + a.getSubject(), a,
                record.timestamp())));
    }
}
