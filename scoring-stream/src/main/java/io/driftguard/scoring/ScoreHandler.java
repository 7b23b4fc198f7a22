package io.driftguard.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.UsedFeature;
import io.driftguard.avro.FeatureVector;
import io.driftguard.features.FeatureSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /score}: scores one JSON event now, with the same contract, features (the entity's vector as of just
 * before the event, with stale flags), policies, arms and fallback chain as the stream. Scoring runs on one thread
 * that owns its DJL sessions; a request waits at most {@link ScoringConfig#httpTimeout()}.
 *
 * <p>Responses: 200 with the envelope; 400 naming the field for malformed JSON, a missing or unknown field, a wrong
 * type or a contract violation; 405 for another method; 503 when the feature store cannot answer; 504 on timeout.
 * Nothing is written to Kafka: the synchronous answer is not a stream prediction.
 */
public final class ScoreHandler implements HttpHandler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 1 << 20;

  private final FeatureSet featureSet;
  private final EventContract contract;
  private final FeatureLookup features;
  private final Supplier<RolloutState> rollout;
  private final ScoringConfig config;
  private final Clock clock;
  private final ExecutorService worker;
  private final Scorer scorer;

  /**
   * @param rollout the current rollout state (the stream tasks' newest, else the registry's)
   */
  public ScoreHandler(final ScoringConfig config, final FeatureSet featureSet, final ModelCatalog catalog,
      final FeatureLookup features, final Supplier<RolloutState> rollout, final ScoringMetrics metrics,
      final Clock clock) {
    this(config, featureSet, Scorer.catalogLoader(catalog, featureSet), features, rollout, metrics, clock,
        System::nanoTime);
  }

  ScoreHandler(final ScoringConfig config, final FeatureSet featureSet, final LoadedVersion.Loader loader,
      final FeatureLookup features, final Supplier<RolloutState> rollout, final ScoringMetrics metrics,
      final Clock clock, final LongSupplier nanoTime) {
    this.config = Objects.requireNonNull(config, "config");
    this.featureSet = Objects.requireNonNull(featureSet, "featureSet");
    this.contract = new EventContract(featureSet);
    this.features = Objects.requireNonNull(features, "features");
    this.rollout = Objects.requireNonNull(rollout, "rollout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scorer = new Scorer(config.modelName(), loader, config, metrics, clock, nanoTime);
    this.worker = Executors.newSingleThreadExecutor(r -> {
      final Thread t = new Thread(r, "scoring-http-" + config.modelName());
      t.setDaemon(true);
      return t;
    });
  }

  /** Thrown for a request the caller must fix; the message names the field. */
  static final class BadRequest extends RuntimeException {
    BadRequest(final String message) {
      super(message);
    }
  }

  @Override
  public void handle(final HttpExchange exchange) throws IOException {
    final String requestId = UUID.randomUUID().toString();
    try {
      if (!"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, error(requestId, "method " + exchange.getRequestMethod() + " not allowed; use POST"));
        return;
      }
      final byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        respond(exchange, 413, error(requestId, "request body is larger than " + MAX_BODY + " bytes"));
        return;
      }
      final ObjectNode envelope = score(body, requestId);
      respond(exchange, 200, envelope);
    } catch (BadRequest e) {
      respond(exchange, 400, error(requestId, e.getMessage()));
    } catch (TimeoutException e) {
      respond(exchange, 504, error(requestId, "scoring took longer than " + config.httpTimeout()));
    } catch (IllegalStateException e) {
      LOG.warn("POST /score {} cannot be answered: {}", requestId, e.getMessage());
      respond(exchange, 503, error(requestId, e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(exchange, 503, error(requestId, "interrupted"));
    } catch (RuntimeException e) {
      LOG.error("POST /score {} failed", requestId, e);
      respond(exchange, 500, error(requestId, "internal error: " + e.getClass().getSimpleName()));
    }
  }

  /** Parses, validates and scores one request body; the envelope on success. */
  ObjectNode score(final byte[] body, final String requestId) throws TimeoutException, InterruptedException {
    final GenericRecord event = parse(body, featureSet.eventSchema());
    final Object key = event.get(featureSet.entityKeyField());
    final EventContract.Violation violation = contract.check(key == null ? null : key.toString(), event,
        clock.millis());
    if (violation != null) {
      throw new BadRequest(violation.message());
    }
    final EventContract.Identity id = contract.identity(event, requestId);
    final FeatureVector vector = features.asOf(id.entityId(), id.eventTimeMs() - 1);
    final RolloutState state = rollout.get();
    final Future<Prediction> future = worker.submit(() -> scorer.score(
        new Scorer.Event(event, id.eventId(), id.entityId(), id.eventTimeMs()), vector, state).primary());
    final Prediction p;
    try {
      p = future.get(config.httpTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    }
    return envelope(p, requestId, vector == null);
  }

  private static ObjectNode envelope(final Prediction p, final String requestId, final boolean unknownEntity) {
    final ObjectNode out = JSON.createObjectNode();
    out.put("requestId", requestId);
    out.put("eventId", p.getEventId());
    out.put("entityId", p.getEntityId());
    out.put("knownEntity", !unknownEntity);
    if (p.getScore() == null) {
      out.putNull("score");
      out.putNull("confidence");
    } else {
      out.put("score", p.getScore());
      out.put("confidence", p.getConfidence());
    }
    out.put("decision", p.getDecision().name());
    out.put("threshold", p.getThreshold());
    out.put("modelName", p.getModelName());
    out.put("modelVersion", p.getModelVersion());
    out.put("artifactSha256", p.getArtifactSha256());
    out.put("arm", p.getArm().name());
    out.put("fallbackReason", p.getFallbackReason());
    final ArrayNode codes = out.putArray("reasonCodes");
    p.getReasonCodes().forEach(codes::add);
    final ArrayNode fs = out.putArray("features");
    for (final UsedFeature f : p.getFeatures()) {
      final ObjectNode n = fs.addObject();
      n.put("name", f.getName());
      if (f.getValue() == null) {
        n.putNull("value");
      } else {
        n.put("value", f.getValue());
      }
      if (f.getAgeMs() == null) {
        n.putNull("ageMs");
      } else {
        n.put("ageMs", f.getAgeMs());
      }
      n.put("stale", f.getStale());
      n.put("imputed", f.getImputed());
    }
    out.put("scoringLatencyMicros", p.getScoringLatencyMicros());
    return out;
  }

  /** JSON object to a record of {@code schema}; every problem names the field. */
  static GenericRecord parse(final byte[] body, final Schema schema) {
    final JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequest("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequest("unreadable body: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadRequest("the body must be a JSON object with the event's fields");
    }
    for (final Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      final String name = it.next();
      if (schema.getField(name) == null) {
        throw new BadRequest("unknown field '" + name + "'");
      }
    }
    final GenericData.Record record = new GenericData.Record(schema);
    for (final Schema.Field f : schema.getFields()) {
      final JsonNode node = root.get(f.name());
      if (node == null || node.isNull()) {
        if (f.schema().isNullable()) {
          record.put(f.pos(), null);
        } else if (node == null && f.hasDefaultValue()) {
          record.put(f.pos(), GenericData.get().getDefaultValue(f));
        } else {
          throw new BadRequest("missing field '" + f.name() + "'");
        }
        continue;
      }
      record.put(f.pos(), value(f.name(), nonNull(f.schema()), node));
    }
    return record;
  }

  private static Object value(final String field, final Schema schema, final JsonNode node) {
    final String type = schema.getLogicalType() == null ? schema.getType().getName()
        : schema.getLogicalType().getName();
    switch (schema.getType()) {
      case STRING:
        if (!node.isTextual()) {
          throw wrongType(field, "a string", node);
        }
        return node.asText();
      case ENUM:
        if (!node.isTextual() || !schema.getEnumSymbols().contains(node.asText())) {
          throw new BadRequest("field '" + field + "' must be one of " + schema.getEnumSymbols());
        }
        return new GenericData.EnumSymbol(schema, node.asText());
      case BOOLEAN:
        if (!node.isBoolean()) {
          throw wrongType(field, "a boolean", node);
        }
        return node.asBoolean();
      case INT:
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
          throw wrongType(field, "an integer", node);
        }
        return node.asInt();
      case LONG:
        if (node.isIntegralNumber() && node.canConvertToLong()) {
          return "timestamp-millis".equals(type) ? Instant.ofEpochMilli(node.asLong()) : node.asLong();
        }
        if ("timestamp-millis".equals(type) && node.isTextual()) {
          try {
            return Instant.parse(node.asText());
          } catch (DateTimeParseException e) {
            throw new BadRequest("field '" + field + "' must be epoch milliseconds or an ISO-8601 instant");
          }
        }
        throw wrongType(field, "timestamp-millis".equals(type) ? "epoch milliseconds or an ISO-8601 instant"
            : "an integer", node);
      case FLOAT:
      case DOUBLE:
        if (!node.isNumber()) {
          throw wrongType(field, "a number", node);
        }
        return schema.getType() == Schema.Type.FLOAT ? (Object) node.floatValue() : (Object) node.asDouble();
      default:
        throw new BadRequest("field '" + field + "' has type " + schema.getType()
            + ", which POST /score does not accept");
    }
  }

  private static BadRequest wrongType(final String field, final String expected, final JsonNode node) {
    return new BadRequest("field '" + field + "' must be " + expected + ", got " + node.getNodeType()
        .name().toLowerCase(java.util.Locale.ROOT));
  }

  private static Schema nonNull(final Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema);
  }

  private static ObjectNode error(final String requestId, final String message) {
    final ObjectNode n = JSON.createObjectNode();
    n.put("requestId", requestId);
    n.put("error", message);
    return n;
  }

  private static void respond(final HttpExchange exchange, final int status, final ObjectNode body)
      throws IOException {
    final byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    worker.submit(scorer::close);
    worker.shutdown();
    try {
      if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.shutdownNow();
    }
  }
}
