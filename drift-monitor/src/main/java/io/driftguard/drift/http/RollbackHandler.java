package io.driftguard.drift.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Severity;
import io.driftguard.drift.metrics.DriftMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /rollback}: a manual (or Alertmanager-driven) rollback. Mount it on platform-core's MetricsServer with
 * {@code server.mount(RollbackHandler.PATH, handler)}.
 *
 * <ul>
 *   <li>Auth: {@code Authorization: Bearer <token>}; 401 (with {@code WWW-Authenticate}) when missing, 403 when
 *       wrong. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, in constant time.</li>
 *   <li>Body, either {@code {"model": "fraud", "reason": "...", "arm": "CHAMPION"}} (arm optional, default
 *       CHAMPION), or an Alertmanager webhook (version "4") whose firing {@code alerts[]} carry labels
 *       {@code model_name} and optionally {@code arm}; resolved alerts are ignored.</li>
 *   <li>Each target becomes a ModelCommand: ROLLBACK for CHAMPION, CLEAR for CANARY; plus an AUDIT alert. 202 with
 *       {@code {"commands":[{"model","action","commandId"}]}}; 400 naming the bad field; 405 for other methods; 413
 *       over 1 MiB; 503 when Kafka did not acknowledge.</li>
 * </ul>
 */
public final class RollbackHandler implements HttpHandler {

    public static final String PATH = "/rollback";
    public static final String MONITOR = "rollback-endpoint";
    private static final Logger LOG = LoggerFactory.getLogger(RollbackHandler.class);
    private static final int MAX_BODY = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] tokenDigest;
    private final RollbackCommandSink sink;
    private final DriftMetrics metrics;
    private final Clock clock;

    public RollbackHandler(final String token, final RollbackCommandSink sink, final DriftMetrics metrics,
            final Clock clock) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token: must not be blank (config key drift.rollbackToken)");
        }
        if (sink == null || metrics == null || clock == null) {
            throw new IllegalArgumentException("sink, metrics and clock: must not be null");
        }
        this.tokenDigest = sha256(token);
        this.sink = sink;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One rollback target. */
    record Target(String model, String arm, String reason, String issuedBy) {
    }

    /** A request error with its HTTP status. */
    static final class BadRequest extends Exception {
        private final int status;

        BadRequest(final int status, final String message) {
            super(message);
            this.status = status;
        }
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, error("not found"), "not-found");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                respond(exchange, 405, error("method not allowed, use POST"), "method-not-allowed");
                return;
            }
            final String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"driftguard\"");
                respond(exchange, 401, error("missing bearer token"), "unauthenticated");
                return;
            }
            if (!MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(7).trim()))) {
                respond(exchange, 403, error("wrong bearer token"), "forbidden");
                return;
            }
            final List<Target> targets;
            try {
                targets = parse(readBody(exchange.getRequestBody()));
            } catch (BadRequest e) {
                respond(exchange, e.status, error(e.getMessage()), "bad-request");
                return;
            }
            final ArrayNode written = JSON.createArrayNode();
            try {
                for (final Target t : targets) {
                    final ModelCommand command = command(t);
                    sink.send(command, audit(t, command));
                    LOG.info("rollback requested by {}: {} {} on {} ({})", t.issuedBy(), command.getAction(),
                            t.model(), t.arm(), command.getCommandId());
                    written.addObject().put("model", t.model()).put("action", command.getAction().name())
                            .put("commandId", command.getCommandId());
                }
            } catch (Exception e) {
                LOG.error("rollback command not written: {}", e.getMessage(), e);
                respond(exchange, 503, error("command not written: " + e.getMessage()), "kafka-error");
                return;
            }
            final ObjectNode body = JSON.createObjectNode();
            body.set("commands", written);
            respond(exchange, 202, body.toString(), "accepted");
        }
    }

    private static byte[] readBody(final InputStream in) throws IOException, BadRequest {
        final byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new BadRequest(413, "body larger than " + MAX_BODY + " bytes");
        }
        return body;
    }

    static List<Target> parse(final byte[] body) throws BadRequest {
        final JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest(400, "body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest(400, "body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest(400, "body must be a JSON object");
        }
        if (root.has("alerts")) {
            return alertmanager(root);
        }
        final String model = text(root, "model", true);
        final String reason = text(root, "reason", true);
        final String arm = armOf(text(root, "arm", false), "arm");
        return List.of(new Target(model, arm, reason, "api"));
    }

    private static List<Target> alertmanager(final JsonNode root) throws BadRequest {
        if (!"4".equals(root.path("version").asText(null))) {
            throw new BadRequest(400, "version: Alertmanager webhook version must be \"4\", got "
                    + root.path("version"));
        }
        final JsonNode alerts = root.get("alerts");
        if (!alerts.isArray()) {
            throw new BadRequest(400, "alerts: must be a list");
        }
        // One command per (model, arm) per notification: an incident often fires several alerts at once, and one
        // ROLLBACK each would walk the champion back several known-good versions.
        final Map<String, Target> targets = new LinkedHashMap<>();
        for (int i = 0; i < alerts.size(); i++) {
            final JsonNode alert = alerts.get(i);
            if (!"firing".equals(alert.path("status").asText("firing"))) {
                continue;
            }
            final JsonNode labels = alert.path("labels");
            final String model = labels.path("model_name").asText("");
            if (model.isBlank()) {
                throw new BadRequest(400, "alerts[" + i + "].labels.model_name: required");
            }
            final String arm = armOf(labels.path("arm").asText(null), "alerts[" + i + "].labels.arm");
            final String name = labels.path("alertname").asText("alert");
            final String summary = alert.path("annotations").path("summary").asText("");
            final String reason = "Alertmanager " + name + (summary.isBlank() ? "" : ": " + summary)
                    + " (fingerprint " + alert.path("fingerprint").asText("-") + ")";
            targets.merge(model + "/" + arm, new Target(model, arm, reason, "alertmanager"),
                (first, more) -> new Target(first.model(), first.arm(), first.reason() + "; also " + name,
                    first.issuedBy()));
        }
        if (targets.isEmpty()) {
            throw new BadRequest(400, "alerts: no firing alert to act on");
        }
        return new ArrayList<>(targets.values());
    }

    private static String armOf(final String arm, final String field) throws BadRequest {
        if (arm == null || arm.isBlank()) {
            return "CHAMPION";
        }
        if (!arm.equals("CHAMPION") && !arm.equals("CANARY")) {
            throw new BadRequest(400, field + ": must be CHAMPION or CANARY, got '" + arm + "'");
        }
        return arm;
    }

    private static String text(final JsonNode node, final String field, final boolean required) throws BadRequest {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new BadRequest(400, field + ": required");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new BadRequest(400, field + ": must be a non-blank string");
        }
        return value.asText();
    }

    private ModelCommand command(final Target t) {
        final Instant now = clock.instant();
        final ModelAction action = "CANARY".equals(t.arm()) ? ModelAction.CLEAR : ModelAction.ROLLBACK;
        return ModelCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setModelName(t.model())
                .setAction(action)
                .setVersion(null)
                .setCanaryPercent(null)
                .setReason(t.reason())
                .setIssuedBy(t.issuedBy())
                .setIssuedAt(now)
                .build();
    }

    private Alert audit(final Target t, final ModelCommand command) {
        return Alert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes(("audit|" + command.getCommandId()).getBytes(StandardCharsets.UTF_8))
                        .toString())
                .setMonitor(MONITOR)
                .setSubject(t.model())
                .setStatistic(command.getAction().name())
                .setSeverity(Severity.CRITICAL)
                .setStatus(AlertStatus.AUDIT)
                .setModelName(t.model())
                .setArm(t.arm())
                .setMessage(command.getAction() + " of model " + t.model() + " (" + t.arm() + ") requested by "
                        + t.issuedBy() + ": " + t.reason())
                .setRaisedAt(command.getIssuedAt())
                .setAttributes(Map.of("commandId", command.getCommandId(), "issuedBy", t.issuedBy()))
                .build();
    }

    private void respond(final HttpExchange exchange, final int status, final String body, final String outcome)
            throws IOException {
        metrics.rollbackRequest(outcome);
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String error(final String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    private static byte[] sha256(final String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
