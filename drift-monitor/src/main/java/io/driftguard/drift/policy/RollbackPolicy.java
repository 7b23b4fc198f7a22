package io.driftguard.drift.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Severity;
import io.driftguard.drift.alerting.AlertHysteresis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The automatic rollback policy: given a FIRING alert and the clock, decide whether to roll the champion back or
 * clear the canary. Pure: the caller keeps the last action time per {@link #cooldownKey} (e.g. in a state store) and
 * passes it in. The first rule (in document order) that matches the alert decides. See docs/monitoring.md for the
 * YAML format.
 *
 * @param dryRun when true no rule issues a command; matching alerts only produce an audit record
 * @param cooldown after an action (or a dry-run would-be action) on a (model, arm), further matches on it are refused
 *     for this long, so the system cannot oscillate
 * @param rules in priority order
 */
public record RollbackPolicy(boolean dryRun, Duration cooldown, List<RollbackRule> rules) {

    /** {@code ModelCommand.issuedBy} and {@code Alert.monitor} of the audit records. */
    public static final String ISSUER = "rollback-policy";
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(30);

    private static final Set<String> TOP_KEYS = Set.of("dryRun", "cooldown", "rules");
    private static final Set<String> RULE_KEYS = Set.of("name", "monitors", "statistics", "subjects", "models",
            "minSeverity", "minConsecutiveWindows", "arm", "dryRun");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public RollbackPolicy {
        if (cooldown == null || cooldown.isNegative() || cooldown.isZero()) {
            throw new PolicyConfigException("cooldown", "must be a positive duration, got " + cooldown);
        }
        if (rules == null) {
            throw new PolicyConfigException("rules", "must not be null");
        }
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i) == null) {
                throw new PolicyConfigException("rules[" + i + "]", "must not be null");
            }
            if (!names.add(rules.get(i).name())) {
                throw new PolicyConfigException("rules[" + i + "].name", "duplicate rule name '" + rules.get(i).name()
                        + "'");
            }
        }
        rules = List.copyOf(rules);
    }

    /** Reads and validates a policy file. */
    public static RollbackPolicy load(final Path file) {
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyConfigException("(file " + file + ")", "cannot be read: " + e.getMessage());
        }
        return fromYaml(text);
    }

    /** Parses and validates a policy document; a bad or unknown key gets a {@link PolicyConfigException} naming it. */
    public static RollbackPolicy fromYaml(final String yaml) {
        if (yaml == null) {
            throw new PolicyConfigException("(document)", "must not be null");
        }
        final JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new PolicyConfigException("(document)", "is not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new PolicyConfigException("(document)", "must be a mapping with keys " + TOP_KEYS);
        }
        rejectUnknown(root, TOP_KEYS, "");
        final boolean dryRun = bool(root, "dryRun", "dryRun", false);
        final Duration cooldown = root.has("cooldown") ? duration(root.get("cooldown"), "cooldown") : DEFAULT_COOLDOWN;
        final JsonNode rulesNode = root.get("rules");
        if (rulesNode == null || !rulesNode.isArray()) {
            throw new PolicyConfigException("rules", "must be a list of rules");
        }
        final List<RollbackRule> rules = new ArrayList<>();
        for (int i = 0; i < rulesNode.size(); i++) {
            rules.add(rule(rulesNode.get(i), "rules[" + i + "]"));
        }
        return new RollbackPolicy(dryRun, cooldown, rules);
    }

    private static RollbackRule rule(final JsonNode node, final String path) {
        if (!node.isObject()) {
            throw new PolicyConfigException(path, "must be a mapping");
        }
        rejectUnknown(node, RULE_KEYS, path + ".");
        final JsonNode name = node.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw new PolicyConfigException(path + ".name", "required, a non-blank string");
        }
        final JsonNode armNode = node.get("arm");
        if (armNode == null || !armNode.isTextual()) {
            throw new PolicyConfigException(path + ".arm", "required, one of CHAMPION, CANARY");
        }
        final RollbackRule.Arm arm = enumValue(RollbackRule.Arm.class, armNode.asText(), path + ".arm");
        final Severity minSeverity = node.has("minSeverity")
                ? enumValue(Severity.class, text(node.get("minSeverity"), path + ".minSeverity"),
                        path + ".minSeverity")
                : Severity.CRITICAL;
        final int minWindows;
        if (node.has("minConsecutiveWindows")) {
            final JsonNode n = node.get("minConsecutiveWindows");
            if (!n.isInt() || n.asInt() < 1) {
                throw new PolicyConfigException(path + ".minConsecutiveWindows", "must be an integer >= 1, got "
                        + n);
            }
            minWindows = n.asInt();
        } else {
            minWindows = 1;
        }
        try {
            return new RollbackRule(name.asText(), strings(node, "monitors", path), strings(node, "statistics", path),
                    strings(node, "subjects", path), strings(node, "models", path), minSeverity, minWindows, arm,
                    bool(node, "dryRun", path + ".dryRun", false));
        } catch (PolicyConfigException e) {
            throw new PolicyConfigException(path + "." + e.key(), e.getMessage().substring(e.key().length() + 2));
        }
    }

    private static void rejectUnknown(final JsonNode node, final Set<String> allowed, final String prefix) {
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            final String key = names.next();
            if (!allowed.contains(key)) {
                throw new PolicyConfigException(prefix + key, "unknown key (allowed: " + new java.util.TreeSet<>(allowed)
                        + ")");
            }
        }
    }

    private static List<String> strings(final JsonNode node, final String key, final String path) {
        final JsonNode list = node.get(key);
        if (list == null) {
            return List.of();
        }
        if (list.isTextual()) {
            return List.of(list.asText());
        }
        if (!list.isArray()) {
            throw new PolicyConfigException(path + "." + key, "must be a pattern or a list of patterns");
        }
        final List<String> values = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            values.add(text(list.get(i), path + "." + key + "[" + i + "]"));
        }
        return values;
    }

    private static String text(final JsonNode node, final String key) {
        if (node == null || !node.isTextual()) {
            throw new PolicyConfigException(key, "must be a string, got " + node);
        }
        return node.asText();
    }

    private static boolean bool(final JsonNode node, final String field, final String key, final boolean fallback) {
        final JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new PolicyConfigException(key, "must be true or false, got " + value);
        }
        return value.asBoolean();
    }

    private static <E extends Enum<E>> E enumValue(final Class<E> type, final String value, final String key) {
        for (final E constant : type.getEnumConstants()) {
            if (constant.name().equals(value.toUpperCase(Locale.ROOT))) {
                return constant;
            }
        }
        final List<String> names = new ArrayList<>();
        for (final E constant : type.getEnumConstants()) {
            names.add(constant.name());
        }
        throw new PolicyConfigException(key, "must be one of " + names + ", got '" + value + "'");
    }

    /** ISO-8601 ({@code PT30M}) or short form ({@code 500ms}, {@code 45s}, {@code 30m}, {@code 2h}, {@code 1d}). */
    static Duration duration(final JsonNode node, final String key) {
        final String value = text(node, key).trim();
        final Matcher m = SHORT_DURATION.matcher(value);
        if (m.matches()) {
            final long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new PolicyConfigException(key, "must be a duration like PT30M or 30m, got '" + value + "'");
        }
    }

    /** The key under which the caller keeps the last action time of a (model, arm). */
    public static String cooldownKey(final String modelName, final String arm) {
        return modelName + "|" + arm;
    }

    /**
     * Decides what to do about {@code alert} at {@code now}, given when the alert's (model, arm) last acted (empty if
     * never).
     */
    public Decision decide(final Alert alert, final Instant now, final Optional<Instant> lastActionAt) {
        if (alert == null) {
            throw new IllegalArgumentException("alert: must not be null");
        }
        if (now == null) {
            throw new IllegalArgumentException("now: must not be null");
        }
        if (lastActionAt == null) {
            throw new IllegalArgumentException("lastActionAt: must not be null (use Optional.empty())");
        }
        if (alert.getStatus() != AlertStatus.FIRING) {
            return none(Decision.Outcome.NOT_APPLICABLE, "alert status is " + alert.getStatus() + ", not FIRING",
                    Optional.empty(), Optional.empty());
        }
        if (alert.getModelName() == null || alert.getArm() == null) {
            return none(Decision.Outcome.NOT_APPLICABLE, "alert names no " + (alert.getModelName() == null ? "model"
                    : "arm"), Optional.empty(), Optional.empty());
        }
        final Optional<String> key = Optional.of(cooldownKey(alert.getModelName(), alert.getArm()));
        final int persistence = persistence(alert);
        final List<String> misses = new ArrayList<>();
        for (final RollbackRule rule : rules) {
            final String miss = rule.mismatch(alert, persistence);
            if (miss != null) {
                misses.add(rule.name() + ": " + miss);
                continue;
            }
            if (lastActionAt.isPresent() && now.isBefore(lastActionAt.get().plus(cooldown))) {
                return none(Decision.Outcome.COOL_DOWN, "rule '" + rule.name() + "' matched but " + key.get()
                        + " acted at " + lastActionAt.get() + "; cool-down " + cooldown + " lasts until "
                        + lastActionAt.get().plus(cooldown), Optional.of(rule.name()), key);
            }
            return act(alert, rule, now, persistence, key);
        }
        return none(Decision.Outcome.NO_MATCHING_RULE, misses.isEmpty() ? "the policy has no rules"
                : "no rule matches: " + String.join("; ", misses), Optional.empty(), key);
    }

    private Decision act(final Alert alert, final RollbackRule rule, final Instant now, final int persistence,
            final Optional<String> key) {
        final ModelAction action = rule.arm().action();
        final boolean dry = dryRun || rule.dryRun();
        final String commandId = UUID.nameUUIDFromBytes((ISSUER + "|" + alert.getAlertId() + "|" + action)
                .getBytes(StandardCharsets.UTF_8)).toString();
        final String why = String.format(Locale.ROOT, "alert %s (%s %s on '%s', %s, %d consecutive windows) matched"
                + " rule '%s'", alert.getAlertId(), alert.getMonitor(), alert.getStatistic(), alert.getSubject(),
                alert.getSeverity(), persistence, rule.name());
        final Map<String, String> attributes = new HashMap<>();
        attributes.put("triggeringAlertId", alert.getAlertId());
        attributes.put("rule", rule.name());
        attributes.put("dryRun", Boolean.toString(dry));
        attributes.put("cooldownUntil", now.plus(cooldown).toString());
        if (!dry) {
            attributes.put("commandId", commandId);
        }
        final String modelDescription = alert.getModelName() + " (" + alert.getArm()
                + (alert.getModelVersion() == null ? "" : ", version " + alert.getModelVersion()) + ")";
        final Alert audit = Alert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes((commandId + "|audit").getBytes(StandardCharsets.UTF_8)).toString())
                .setMonitor(ISSUER)
                .setSubject(alert.getModelName())
                .setStatistic(action.name())
                .setValue(null)
                .setThreshold(null)
                .setSeverity(alert.getSeverity())
                .setStatus(AlertStatus.AUDIT)
                .setWindowStart(null)
                .setWindowEnd(null)
                .setModelName(alert.getModelName())
                .setModelVersion(alert.getModelVersion())
                .setArm(alert.getArm())
                .setRecommendedAction(action.name())
                .setMessage((dry ? "dry-run, would issue " : "issued ") + action + " of model " + modelDescription
                        + ": " + why)
                .setRaisedAt(now)
                .setAttributes(attributes)
                .build();
        if (dry) {
            return new Decision(Decision.Outcome.DRY_RUN, Optional.empty(), Optional.of(audit),
                    "dry-run: " + why, Optional.of(rule.name()), key);
        }
        final ModelCommand command = ModelCommand.newBuilder()
                .setCommandId(commandId)
                .setModelName(alert.getModelName())
                .setAction(action)
                .setVersion(null)
                .setCanaryPercent(null)
                .setReason(why)
                .setIssuedBy(ISSUER)
                .setIssuedAt(now)
                .build();
        return new Decision(Decision.Outcome.ACT, Optional.of(command), Optional.of(audit), why,
                Optional.of(rule.name()), key);
    }

    private static int persistence(final Alert alert) {
        final String value = alert.getAttributes() == null ? null
                : alert.getAttributes().get(AlertHysteresis.ATTR_CONSECUTIVE_BREACHES);
        if (value == null) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static Decision none(final Decision.Outcome outcome, final String reason, final Optional<String> rule,
            final Optional<String> key) {
        return new Decision(outcome, Optional.empty(), Optional.empty(), reason, rule, key);
    }
}
