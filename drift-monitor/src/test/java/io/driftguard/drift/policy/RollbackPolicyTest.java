package io.driftguard.drift.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Severity;
import io.driftguard.drift.alerting.AlertHysteresis;
import io.driftguard.drift.alerting.AlertKey;
import io.driftguard.drift.alerting.HysteresisConfig;
import io.driftguard.drift.alerting.HysteresisState;
import io.driftguard.drift.alerting.Transition;
import io.driftguard.drift.alerting.WindowVerdict;
import io.driftguard.drift.stats.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbackPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Instant WINDOW_START = Instant.parse("2026-11-28T11:50:00Z");

    private static final String POLICY = """
            dryRun: false
            cooldown: 30m
            rules:
              - name: champion-critical-drift
                monitors: [feature-drift, prediction-drift]
                statistics: ["psi", "ks"]
                subjects: ["*"]
                models: ["fraud*"]
                minSeverity: CRITICAL
                minConsecutiveWindows: 3
                arm: CHAMPION
              - name: canary-any-drift
                monitors: "*"
                minSeverity: WARNING
                arm: CANARY
            """;

    private static Alert firing(final String monitor, final String statistic, final Severity severity,
            final String arm, final int consecutive) {
        return Alert.newBuilder()
                .setAlertId("alert-" + monitor + "-" + statistic + "-" + arm)
                .setMonitor(monitor)
                .setSubject("amount")
                .setStatistic(statistic)
                .setValue(0.31)
                .setThreshold(0.2)
                .setSeverity(severity)
                .setStatus(AlertStatus.FIRING)
                .setWindowStart(WINDOW_START)
                .setWindowEnd(NOW)
                .setModelName("fraud")
                .setModelVersion("3")
                .setArm(arm)
                .setRecommendedAction("ROLLBACK")
                .setMessage("test alert")
                .setRaisedAt(NOW)
                .setAttributes(Map.of(AlertHysteresis.ATTR_CONSECUTIVE_BREACHES, Integer.toString(consecutive)))
                .build();
    }

    @Test
    void shouldRollBackChampionWhenCriticalPersistentDriftMatches() {
        // Given
        final RollbackPolicy policy = RollbackPolicy.fromYaml(POLICY);
        final Alert alert = firing("feature-drift", "psi", Severity.CRITICAL, "CHAMPION", 3);

        // When
        final Decision decision = policy.decide(alert, NOW, Optional.empty());

        // Then
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.ACT);
        assertThat(decision.rule()).contains("champion-critical-drift");
        assertThat(decision.cooldownKey()).contains("fraud|CHAMPION");
        assertThat(decision.startsCooldown()).isTrue();
        final ModelCommand command = decision.command().orElseThrow();
        assertThat(command.getAction()).isEqualTo(ModelAction.ROLLBACK);
        assertThat(command.getModelName()).isEqualTo("fraud");
        assertThat(command.getVersion()).isNull();
        assertThat(command.getIssuedBy()).isEqualTo("rollback-policy");
        assertThat(command.getIssuedAt()).isEqualTo(NOW);
        assertThat(command.getReason()).contains(alert.getAlertId()).contains("champion-critical-drift");
        final Alert audit = decision.audit().orElseThrow();
        assertThat(audit.getStatus()).isEqualTo(AlertStatus.AUDIT);
        assertThat(audit.getMonitor()).isEqualTo("rollback-policy");
        assertThat(audit.getSubject()).isEqualTo("fraud");
        assertThat(audit.getStatistic()).isEqualTo("ROLLBACK");
        assertThat(audit.getValue()).isNull();
        assertThat(audit.getWindowStart()).isNull();
        assertThat(audit.getArm()).isEqualTo("CHAMPION");
        assertThat(audit.getAttributes()).containsEntry("triggeringAlertId", alert.getAlertId())
                .containsEntry("commandId", command.getCommandId()).containsEntry("dryRun", "false");
    }

    @Test
    void shouldClearCanaryWhenCanaryAlertMatches() {
        // Given
        final RollbackPolicy policy = RollbackPolicy.fromYaml(POLICY);

        // When
        final Decision decision = policy.decide(firing("null-rate", "null_rate", Severity.WARNING, "CANARY", 1), NOW,
                Optional.empty());

        // Then
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.ACT);
        assertThat(decision.command().orElseThrow().getAction()).isEqualTo(ModelAction.CLEAR);
        assertThat(decision.rule()).contains("canary-any-drift");
    }

    @Test
    void shouldGiveNoActionWithReasonWhenNoRuleMatches() {
        // Given
        final RollbackPolicy policy = RollbackPolicy.fromYaml(POLICY);

        // When: too short, wrong statistic, too mild, shadow arm
        final Decision tooShort = policy.decide(firing("feature-drift", "psi", Severity.CRITICAL, "CHAMPION", 2),
                NOW, Optional.empty());
        final Decision otherStatistic = policy.decide(firing("feature-drift", "wasserstein", Severity.CRITICAL,
                "CHAMPION", 5), NOW, Optional.empty());
        final Decision mild = policy.decide(firing("feature-drift", "psi", Severity.WARNING, "CHAMPION", 5), NOW,
                Optional.empty());

        // Then
        assertThat(tooShort.outcome()).isEqualTo(Decision.Outcome.NO_MATCHING_RULE);
        assertThat(tooShort.reason()).contains("persistence 2 windows below 3");
        assertThat(otherStatistic.reason()).contains("statistic 'wasserstein'");
        assertThat(mild.reason()).contains("severity WARNING below CRITICAL");
        assertThat(tooShort.command()).isEmpty();
        assertThat(tooShort.audit()).isEmpty();
        assertThat(tooShort.startsCooldown()).isFalse();
    }

    @Test
    void shouldRefuseDuringCooldownAndActAfterItWhenAlertsRepeat() {
        // Given
        final RollbackPolicy policy = RollbackPolicy.fromYaml(POLICY);
        final Alert alert = firing("feature-drift", "ks", Severity.CRITICAL, "CHAMPION", 4);
        final Instant lastAction = NOW.minus(Duration.ofMinutes(10));

        // When
        final Decision during = policy.decide(alert, NOW, Optional.of(lastAction));
        final Decision after = policy.decide(alert, lastAction.plus(Duration.ofMinutes(30)), Optional.of(lastAction));

        // Then
        assertThat(during.outcome()).isEqualTo(Decision.Outcome.COOL_DOWN);
        assertThat(during.reason()).contains("cool-down").contains("2026-11-28T12:20:00Z");
        assertThat(during.command()).isEmpty();
        assertThat(during.startsCooldown()).isFalse();
        assertThat(after.outcome()).isEqualTo(Decision.Outcome.ACT);
    }

    @Test
    void shouldOnlyAuditWhenPolicyIsDryRun() {
        // Given
        final RollbackPolicy policy = RollbackPolicy.fromYaml(POLICY.replace("dryRun: false", "dryRun: true"));

        // When
        final Decision decision = policy.decide(firing("feature-drift", "psi", Severity.CRITICAL, "CHAMPION", 3),
                NOW, Optional.empty());

        // Then
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.DRY_RUN);
        assertThat(decision.command()).isEmpty();
        assertThat(decision.audit().orElseThrow().getMessage()).startsWith("dry-run, would issue ROLLBACK");
        assertThat(decision.audit().orElseThrow().getAttributes()).containsEntry("dryRun", "true")
                .doesNotContainKey("commandId");
        assertThat(decision.startsCooldown()).isTrue();
    }

    @Test
    void shouldIgnoreAlertsThatAreNotFiringOrNameNoArm() {
        // Given
        final RollbackPolicy policy = RollbackPolicy.fromYaml(POLICY);
        final Alert resolved = Alert.newBuilder(firing("feature-drift", "psi", Severity.CRITICAL, "CHAMPION", 3))
                .setStatus(AlertStatus.RESOLVED).build();
        final Alert noArm = Alert.newBuilder(firing("feature-drift", "psi", Severity.CRITICAL, "CHAMPION", 3))
                .setArm(null).build();

        // When / Then
        assertThat(policy.decide(resolved, NOW, Optional.empty()).outcome())
                .isEqualTo(Decision.Outcome.NOT_APPLICABLE);
        assertThat(policy.decide(noArm, NOW, Optional.empty()).reason()).isEqualTo("alert names no arm");
    }

    @Test
    void shouldRollBackFromHysteresisAlertWhenDriftPersists() {
        // Given: the real hysteresis emitting FIRING with its persistence attribute
        final RollbackPolicy policy = RollbackPolicy.fromYaml(POLICY);
        final AlertHysteresis hysteresis = new AlertHysteresis(new HysteresisConfig(3, 3, true));
        final AlertKey key = new AlertKey("feature-drift", "amount", "psi", "fraud", "3", "CHAMPION");
        HysteresisState state = HysteresisState.INITIAL;
        Optional<Alert> last = Optional.empty();
        for (int w = 0; w < 3; w++) {
            final Instant start = WINDOW_START.plus(Duration.ofMinutes(5L * w));
            final Transition t = hysteresis.apply(state, new WindowVerdict(key, start, start.plusSeconds(300),
                    Level.CRITICAL, 0.4, 0.2), NOW);
            state = t.state();
            last = t.alert();
        }

        // When
        final Decision decision = policy.decide(last.orElseThrow(), NOW, Optional.empty());

        // Then
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.ACT);
        assertThat(decision.command().orElseThrow().getAction()).isEqualTo(ModelAction.ROLLBACK);
    }

    @Test
    void shouldLoadPolicyFromFileWhenValid(@TempDir final Path dir) throws Exception {
        // Given
        final Path file = dir.resolve("rollback-policy.yaml");
        Files.writeString(file, POLICY);

        // When
        final RollbackPolicy policy = RollbackPolicy.load(file);

        // Then
        assertThat(policy.cooldown()).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.rules()).hasSize(2);
        assertThat(policy.rules().get(0).statistics()).containsExactly("psi", "ks");
        assertThat(policy.rules().get(1).monitors()).containsExactly("*");
        assertThat(policy.rules().get(1).subjects()).containsExactly("*");
        assertThat(policy.rules().get(1).minConsecutiveWindows()).isEqualTo(1);
    }

    @Test
    void shouldNameTheKeyWhenPolicyIsInvalid() {
        assertKeyError("rules: []\nretries: 3\n", "retries");
        assertKeyError("cooldown: soon\nrules: []\n", "cooldown");
        assertKeyError("cooldown: PT0S\nrules: []\n", "cooldown");
        assertKeyError("rules:\n  - name: a\n    arm: SHADOW\n", "rules[0].arm");
        assertKeyError("rules:\n  - arm: CHAMPION\n", "rules[0].name");
        assertKeyError("rules:\n  - name: a\n    arm: CANARY\n    minSeverity: HIGH\n", "rules[0].minSeverity");
        assertKeyError("rules:\n  - name: a\n    arm: CANARY\n    minConsecutiveWindows: 0\n",
                "rules[0].minConsecutiveWindows");
        assertKeyError("rules:\n  - name: a\n    arm: CANARY\n    subjects: [\"\"]\n", "rules[0].subjects[0]");
        assertKeyError("rules:\n  - name: a\n    arm: CANARY\n    severity: WARNING\n", "rules[0].severity");
        assertKeyError("rules:\n  - name: a\n    arm: CANARY\n  - name: a\n    arm: CHAMPION\n", "rules[1].name");
        assertKeyError("dryRun: maybe\nrules: []\n", "dryRun");
        assertKeyError("cooldown: 30m\n", "rules");
        assertKeyError("rules: [\n", "(document)");
    }

    private static void assertKeyError(final String yaml, final String key) {
        assertThatThrownBy(() -> RollbackPolicy.fromYaml(yaml))
                .isInstanceOf(PolicyConfigException.class)
                .hasMessageStartingWith(key + ":")
                .satisfies(e -> assertThat(((PolicyConfigException) e).key()).isEqualTo(key));
    }
}
