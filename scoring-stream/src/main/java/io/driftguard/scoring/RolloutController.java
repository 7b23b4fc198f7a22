package io.driftguard.scoring;

import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Severity;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies model-control commands to a task's {@link RolloutState}, in log order, verifying every version it switches
 * to before the switch. Every command ends in an Alert: AUDIT when applied, FIRING (CRITICAL) when refused, each
 * naming the command's own offset and the event offset at which it took effect.
 */
final class RolloutController {
  static final String MONITOR = "model-control";
  private static final Logger LOG = LoggerFactory.getLogger(RolloutController.class);

  /** Where the command took effect: the event record that first saw it. */
  record EffectivePoint(String topic, int partition, long offset) {
  }

  private final String modelName;
  private final String controlTopic;
  private final Deserializer<ModelCommand> commands;
  private final Scorer scorer;
  private final ScoringMetrics metrics;
  private final Clock clock;

  RolloutController(final String modelName, final String controlTopic, final Deserializer<ModelCommand> commands,
      final Scorer scorer, final ScoringMetrics metrics, final Clock clock) {
    this.modelName = modelName;
    this.controlTopic = controlTopic;
    this.commands = commands;
    this.scorer = scorer;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Applies {@code entries} (all newer than {@code state}) and returns the resulting state; alerts go to sink. */
  RolloutState apply(final RolloutState start, final List<ControlLog.Entry> entries, final EffectivePoint at,
      final Consumer<Alert> sink) {
    RolloutState state = start;
    for (final ControlLog.Entry e : entries) {
      state = applyOne(state, e, at, sink);
    }
    return state;
  }

  private RolloutState applyOne(final RolloutState state, final ControlLog.Entry e, final EffectivePoint at,
      final Consumer<Alert> sink) {
    final ModelCommand cmd;
    try {
      cmd = e.value().length == 0 ? null : commands.deserialize(controlTopic, e.value());
    } catch (RuntimeException ex) {
      sink.accept(refused(null, e, at, "undecodable command: " + ex.getClass().getSimpleName() + ": "
          + ex.getMessage(), state));
      metrics.command("UNDECODABLE", "refused");
      return state.atOffset(e.offset());
    }
    if (cmd == null) {
      sink.accept(refused(null, e, at, "empty command value (tombstone) has no action", state));
      metrics.command("EMPTY", "refused");
      return state.atOffset(e.offset());
    }
    final String action = cmd.getAction().name();
    final String problem = check(cmd, state);
    if (problem != null) {
      sink.accept(refused(cmd, e, at, problem, state));
      metrics.command(action, "refused");
      return state.atOffset(e.offset());
    }
    final RolloutState next = switch (cmd.getAction()) {
      case PROMOTE -> state.promote(cmd.getVersion(), e.offset());
      case SET_SHADOW -> state.withShadow(cmd.getVersion(), e.offset());
      case SET_CANARY -> state.withCanary(cmd.getVersion(), cmd.getCanaryPercent(), e.offset());
      case ROLLBACK -> state.rollback(e.offset());
      case CLEAR -> state.cleared(e.offset());
    };
    metrics.command(action, "applied");
    metrics.activeVersion("CHAMPION", next.champion());
    metrics.activeVersion("CANARY", next.canary());
    metrics.activeVersion("SHADOW", next.shadow());
    LOG.info("model {}: {} {} applied at {}-{}@{} (command {}-{}@{}); champion {} canary {} ({}%) shadow {}",
        modelName, action, cmd.getVersion(), at.topic(), at.partition(), at.offset(), controlTopic, e.partition(),
        e.offset(), next.champion(), next.canary(), next.canaryPercent(), next.shadow());
    sink.accept(alert(cmd, e, at, AlertStatus.AUDIT, Severity.INFO, action + " applied", next));
    return next;
  }

  /** Null when the command may be applied, else why not; loads and verifies any version it switches to. */
  private String check(final ModelCommand cmd, final RolloutState state) {
    if (!modelName.equals(cmd.getModelName())) {
      return "command is for model '" + cmd.getModelName() + "', this scorer serves '" + modelName + "'";
    }
    final String target = switch (cmd.getAction()) {
      case PROMOTE, SET_SHADOW, SET_CANARY -> cmd.getVersion();
      case ROLLBACK -> state.previous();
      case CLEAR -> null;
    };
    if (cmd.getAction() == ModelAction.ROLLBACK && target == null) {
      return "no previous known-good version to roll back to (champion " + state.champion() + ")";
    }
    if (cmd.getAction() != ModelAction.CLEAR && cmd.getAction() != ModelAction.ROLLBACK
        && (target == null || target.isBlank())) {
      return cmd.getAction() + " needs a version";
    }
    if (cmd.getAction() == ModelAction.SET_CANARY) {
      final Double p = cmd.getCanaryPercent();
      if (p == null || !(p > 0 && p <= 100)) {
        return "SET_CANARY needs canaryPercent in (0, 100], was " + p;
      }
    }
    if (target != null) {
      try {
        scorer.load(target);
      } catch (RuntimeException ex) {
        return "version " + target + " refused: " + ex.getMessage();
      }
    }
    return null;
  }

  private Alert refused(final ModelCommand cmd, final ControlLog.Entry e, final EffectivePoint at,
      final String why, final RolloutState state) {
    LOG.warn("model {}: command at {}-{}@{} refused: {}", modelName, controlTopic, e.partition(), e.offset(), why);
    return alert(cmd, e, at, AlertStatus.FIRING, Severity.CRITICAL, "refused: " + why, state);
  }

  private Alert alert(final ModelCommand cmd, final ControlLog.Entry e, final EffectivePoint at,
      final AlertStatus status, final Severity severity, final String message, final RolloutState state) {
    final Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("controlTopic", controlTopic);
    attrs.put("controlPartition", Integer.toString(e.partition()));
    attrs.put("controlOffset", Long.toString(e.offset()));
    attrs.put("effectiveTopic", at.topic());
    attrs.put("effectivePartition", Integer.toString(at.partition()));
    attrs.put("effectiveOffset", Long.toString(at.offset()));
    if (cmd != null) {
      attrs.put("commandId", cmd.getCommandId());
      attrs.put("issuedBy", cmd.getIssuedBy());
      attrs.put("reason", cmd.getReason());
      attrs.put("issuedAt", cmd.getIssuedAt().toString());
      if (cmd.getCanaryPercent() != null) {
        attrs.put("canaryPercent", cmd.getCanaryPercent().toString());
      }
    }
    attrs.put("champion", Objects.toString(state.champion(), ""));
    attrs.put("previous", Objects.toString(state.previous(), ""));
    attrs.put("canary", Objects.toString(state.canary(), ""));
    attrs.put("shadow", Objects.toString(state.shadow(), ""));
    final String action = cmd == null ? "INVALID_COMMAND" : cmd.getAction().name();
    final String version = cmd == null ? null
        : cmd.getAction() == ModelAction.ROLLBACK || cmd.getAction() == ModelAction.CLEAR ? state.champion()
        : cmd.getVersion();
    final String arm = cmd == null ? null : switch (cmd.getAction()) {
      case PROMOTE, ROLLBACK -> "CHAMPION";
      case SET_CANARY -> "CANARY";
      case SET_SHADOW -> "SHADOW";
      case CLEAR -> null;
    };
    return Alert.newBuilder()
        .setAlertId(MONITOR + "/" + modelName + "/" + e.partition() + "@" + e.offset() + "/" + at.topic() + "-"
            + at.partition() + "@" + at.offset())
        .setMonitor(MONITOR)
        .setSubject(modelName)
        .setStatistic(action)
        .setValue(null)
        .setThreshold(null)
        .setSeverity(severity)
        .setStatus(status)
        .setWindowStart(null)
        .setWindowEnd(null)
        .setModelName(modelName)
        .setModelVersion(version)
        .setArm(arm)
        .setRecommendedAction(null)
        .setMessage("model " + modelName + ": " + action + (cmd != null && cmd.getVersion() != null
            ? " " + cmd.getVersion() : "") + " " + message)
        .setRaisedAt(clock.instant())
        .setAttributes(attrs)
        .build();
  }
}
