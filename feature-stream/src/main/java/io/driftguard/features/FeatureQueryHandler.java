package io.driftguard.features;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /features/{entityId}[?asOf=2026-11-28T10:00:00Z]}: the entity's vector as JSON (200), 404 when unknown,
 * 307 to the hosting instance, 503 while the store is unavailable, 400 for a bad request, 405 for other methods.
 */
public final class FeatureQueryHandler implements HttpHandler {
  /** Path prefix the handler is mounted under. */
  public static final String PATH = "/features/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FeatureQueries queries;
  private final Clock clock;

  public FeatureQueryHandler(final FeatureQueries queries, final Clock clock) {
    this.queries = queries;
    this.clock = clock;
  }

  @Override
  public void handle(final HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, Map.of("error", "method not allowed; use GET"));
        return;
      }
      final String path = exchange.getRequestURI().getRawPath();
      if (!path.startsWith(PATH) || path.length() == PATH.length()) {
        respond(exchange, 404, Map.of("error", "use GET /features/{entityId}"));
        return;
      }
      final String entityId = URLDecoder.decode(path.substring(PATH.length()), StandardCharsets.UTF_8);
      Instant asOf = null;
      final String query = exchange.getRequestURI().getRawQuery();
      if (query != null) {
        for (final String pair : query.split("&")) {
          final String[] kv = pair.split("=", 2);
          if (!kv[0].equals("asOf") || kv.length != 2) {
            respond(exchange, 400, Map.of("error", "unknown query parameter '" + kv[0] + "' (only asOf)"));
            return;
          }
          try {
            asOf = Instant.parse(URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
          } catch (final DateTimeParseException e) {
            respond(exchange, 400, Map.of("error", "asOf must be an ISO-8601 instant such as 2026-11-28T10:00:00Z"));
            return;
          }
        }
      }
      final FeatureQueries.Answer answer = queries.vector(entityId, asOf, clock.millis());
      if (answer instanceof FeatureQueries.Found found) {
        respond(exchange, 200, json(found.vector()));
      } else if (answer instanceof FeatureQueries.NotFound) {
        respond(exchange, 404, Map.of("error", "no features for entity", "entityId", entityId));
      } else if (answer instanceof FeatureQueries.Elsewhere other) {
        exchange.getResponseHeaders().add("Location", "http://" + other.host() + ":" + other.port()
            + exchange.getRequestURI());
        respond(exchange, 307, Map.of("error", "hosted by " + other.host() + ":" + other.port()));
      } else if (answer instanceof FeatureQueries.Unavailable unavailable) {
        respond(exchange, 503, Map.of("error", "store unavailable: " + unavailable.reason()));
      } else if (answer instanceof FeatureQueries.BadRequest bad) {
        respond(exchange, 400, Map.of("error", bad.reason()));
      }
    }
  }

  static Map<String, Object> json(final FeatureVector v) {
    final Map<String, Object> out = new LinkedHashMap<>();
    out.put("entityId", v.getEntityId());
    out.put("eventTime", v.getEventTime().toString());
    out.put("featureSet", v.getFeatureSet());
    out.put("featureSetHash", v.getFeatureSetHash());
    final List<Map<String, Object>> features = new ArrayList<>();
    for (final FeatureValue f : v.getFeatures()) {
      final Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", f.getName());
      m.put("value", f.getValue());
      m.put("asOf", f.getAsOf() == null ? null : f.getAsOf().toString());
      features.add(m);
    }
    out.put("features", features);
    out.put("computedAt", v.getComputedAt().toString());
    return out;
  }

  private static void respond(final HttpExchange exchange, final int status, final Object body) throws IOException {
    final byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
