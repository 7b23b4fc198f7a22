package io.driftguard.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.driftguard.embedded.RegistryState.Version;
import io.driftguard.schemas.registry.CompatibilityLevel;
import io.driftguard.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible schema registry (Avro only) on the JDK HTTP server, storing its state in a compacted Kafka
 * topic ({@code _schemas} by default) as Confluent does, so a restart on the same broker data keeps every id. It
 * answers the REST endpoints driftguard's client and Confluent's clients in other languages call; unknown endpoints
 * get 404 with a Confluent JSON error body. Compatibility (BACKWARD by default) is checked with Avro's
 * {@code SchemaCompatibility}. Optional HTTP basic auth.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /**
   * @param bootstrapServers the broker holding the schemas topic
   * @param port HTTP port; 0 picks a free one
   * @param basicAuthUserInfo {@code user:password} to require HTTP basic auth, or null
   * @param topic the schemas topic
   * @param timeout bound on every broker operation
   */
  public record Config(String bootstrapServers, int port, String basicAuthUserInfo, String topic, Duration timeout) {
    public Config {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("Schema registry needs the broker's bootstrap servers");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Schema registry port must be 0 (ephemeral) or 1-65535, was " + port);
      }
      if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
        throw new IllegalArgumentException("Schema registry basic auth must be 'user:password'");
      }
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("Schema registry topic must not be blank");
      }
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("Schema registry timeout must be positive, was " + timeout);
      }
    }

    /** No auth, topic {@code _schemas}, 30 s timeout. */
    public static Config of(final String bootstrapServers, final int port) {
      return new Config(bootstrapServers, port, null, "_schemas", Duration.ofSeconds(30));
    }

    public Config withBasicAuth(final String userInfo) {
      return new Config(bootstrapServers, port, userInfo, topic, timeout);
    }

    public Config withTopic(final String newTopic) {
      return new Config(bootstrapServers, port, basicAuthUserInfo, newTopic, timeout);
    }

    @Override
    public String toString() {
      return "Config[bootstrapServers=" + bootstrapServers + ", port=" + port + ", basicAuth="
          + (basicAuthUserInfo == null ? "off" : "on") + ", topic=" + topic + ", timeout=" + timeout + "]";
    }
  }

  private final Config config;
  private final RegistryState state = new RegistryState(CompatibilityLevel.BACKWARD);
  private final KafkaSchemaStore store;
  private final HttpServer server;
  private final ExecutorService executor;
  private final byte[] expectedAuthorization;
  private final int port;
  private boolean closed;

  private EmbeddedSchemaRegistry(final Config config) throws IOException {
    this.config = config;
    final int resolvedPort = Ports.resolve(config.port(), "Schema registry");
    this.store = new KafkaSchemaStore(config.bootstrapServers(), config.topic(), config.timeout());
    try {
      store.readAll(config.bootstrapServers(), state::apply);
      this.expectedAuthorization = config.basicAuthUserInfo() == null ? null
          : ("Basic " + Base64.getEncoder().encodeToString(
              config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
      this.server = HttpServer.create(new InetSocketAddress(resolvedPort), 0);
    } catch (IOException | RuntimeException e) {
      store.close();
      if (e instanceof java.net.BindException) {
        throw new IllegalStateException("Schema registry port " + resolvedPort + " is already in use", e);
      }
      throw e;
    }
    final AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(4, runnable -> {
      final Thread thread = new Thread(runnable, "driftguard-registry-http-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    this.port = server.getAddress().getPort();
  }

  /** Starts a registry; throws naming the port when it is in use, or the broker when the topic cannot be read. */
  public static EmbeddedSchemaRegistry start(final Config config) {
    Objects.requireNonNull(config, "config");
    try {
      final EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(config);
      LOG.info("Embedded schema registry listening on {} (topic {})", registry.url(), config.topic());
      return registry;
    } catch (IOException e) {
      throw new IllegalStateException("Schema registry failed to start with " + config + ": " + e.getMessage(), e);
    }
  }

  public String url() {
    return "http://localhost:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
    store.close();
    LOG.info("Embedded schema registry on port {} stopped", port);
  }

  // ---------------------------------------------------------------- HTTP

  /** A Confluent error answer. */
  static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final int code;

    ApiError(final int status, final int code, final String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private record Request(String method, List<String> path, Map<String, String> query, JsonNode body) {
    boolean flag(final String name) {
      return "true".equalsIgnoreCase(query.get(name));
    }
  }

  private void handle(final HttpExchange exchange) throws IOException {
    try (exchange) {
      int status;
      String body;
      try {
        authorize(exchange);
        final Request request = parse(exchange);
        final Object result = route(request);
        status = 200;
        body = result instanceof String raw ? raw : RegistryState.JSON.writeValueAsString(result);
      } catch (ApiError e) {
        status = e.status;
        body = errorBody(e.code, e.getMessage());
      } catch (KafkaSchemaStore.StoreException e) {
        LOG.warn("Schema registry store failure: {}", e.getMessage());
        status = 500;
        body = errorBody(SchemaRegistryException.STORE_ERROR, "Error while storing the schema: " + e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("Schema registry request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        status = 500;
        body = errorBody(50001, "Internal error: " + e);
      }
      final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      if (status == 401) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"driftguard-schema-registry\"");
      }
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  private static String errorBody(final int code, final String message) {
    return RegistryState.JSON.createObjectNode().put("error_code", code).put("message", message).toString();
  }

  private void authorize(final HttpExchange exchange) {
    if (expectedAuthorization == null) {
      return;
    }
    final String given = exchange.getRequestHeaders().getFirst("Authorization");
    if (given == null || !MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiError(401, 401, "Unauthorized");
    }
  }

  private static Request parse(final HttpExchange exchange) throws IOException {
    final List<String> path = new ArrayList<>();
    for (final String segment : exchange.getRequestURI().getRawPath().split("/")) {
      if (!segment.isEmpty()) {
        path.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    final Map<String, String> query = new HashMap<>();
    final String rawQuery = exchange.getRequestURI().getRawQuery();
    if (rawQuery != null) {
      for (final String pair : rawQuery.split("&")) {
        final int eq = pair.indexOf('=');
        final String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    JsonNode body = null;
    final String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    if (method.equals("POST") || method.equals("PUT")) {
      final String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")
          && !contentType.toLowerCase(Locale.ROOT).startsWith("application/octet-stream")) {
        throw new ApiError(415, 415, "Unsupported content type '" + contentType + "'; use " + CONTENT_TYPE
            + " or application/json");
      }
      final byte[] bytes;
      try (InputStream in = exchange.getRequestBody()) {
        bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      }
      if (bytes.length > MAX_BODY_BYTES) {
        throw new ApiError(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
      }
      if (bytes.length > 0) {
        try {
          body = RegistryState.JSON.readTree(bytes);
        } catch (IOException e) {
          throw new ApiError(400, 400, "Request body is not valid JSON: " + e.getMessage());
        }
      }
    }
    return new Request(method, path, query, body);
  }

  private Object route(final Request r) {
    final List<String> p = r.path();
    final int n = p.size();
    if (n == 0) {
      return method(r, "GET", () -> RegistryState.JSON.createObjectNode());
    }
    switch (p.get(0)) {
      case "subjects" -> {
        if (n == 1) {
          return method(r, "GET", () -> subjects(r));
        }
        final String subject = p.get(1);
        if (n == 2) {
          return switch (r.method()) {
            case "POST" -> lookup(subject, r);
            case "DELETE" -> deleteSubject(subject, r.flag("permanent"));
            default -> throw notAllowed(r);
          };
        }
        if (!p.get(2).equals("versions")) {
          break;
        }
        if (n == 3) {
          return switch (r.method()) {
            case "GET" -> versions(subject, r.flag("deleted"));
            case "POST" -> register(subject, r);
            default -> throw notAllowed(r);
          };
        }
        if (n == 4) {
          return switch (r.method()) {
            case "GET" -> versionJson(findVersion(subject, p.get(3), r.flag("deleted")));
            case "DELETE" -> deleteVersion(subject, p.get(3), r.flag("permanent"));
            default -> throw notAllowed(r);
          };
        }
        if (n == 5 && p.get(4).equals("schema")) {
          return method(r, "GET", () -> findVersion(subject, p.get(3), r.flag("deleted")).schema());
        }
        if (n == 5 && p.get(4).equals("referencedby")) {
          return method(r, "GET", () -> {
            findVersion(subject, p.get(3), false);
            return List.of();
          });
        }
      }
      case "schemas" -> {
        if (n == 2 && p.get(1).equals("types")) {
          return method(r, "GET", () -> List.of("AVRO"));
        }
        if (n >= 3 && p.get(1).equals("ids")) {
          final int id = parseId(p.get(2));
          if (n == 3) {
            return method(r, "GET", () -> RegistryState.JSON.createObjectNode().put("schema", schemaById(id)));
          }
          if (n == 4 && p.get(3).equals("schema")) {
            return method(r, "GET", () -> schemaById(id));
          }
          if (n == 4 && p.get(3).equals("subjects")) {
            return method(r, "GET", () -> {
              schemaById(id);
              synchronized (this) {
                return state.versionsWithId(id).stream().map(Version::subject).distinct().toList();
              }
            });
          }
          if (n == 4 && p.get(3).equals("versions")) {
            return method(r, "GET", () -> {
              schemaById(id);
              synchronized (this) {
                final ArrayNode array = RegistryState.JSON.createArrayNode();
                state.versionsWithId(id).forEach(v -> array.addObject().put("subject", v.subject())
                    .put("version", v.version()));
                return array;
              }
            });
          }
        }
      }
      case "compatibility" -> {
        if (n >= 4 && p.get(1).equals("subjects") && p.get(3).equals("versions") && n <= 5) {
          return method(r, "POST", () -> compatibility(p.get(2), n == 5 ? p.get(4) : null, r));
        }
      }
      case "config" -> {
        if (n == 1) {
          return switch (r.method()) {
            case "GET" -> levelJson("compatibilityLevel", globalLevel());
            case "PUT" -> setLevel(null, r);
            default -> throw notAllowed(r);
          };
        }
        if (n == 2) {
          return switch (r.method()) {
            case "GET" -> subjectConfig(p.get(1), r.flag("defaultToGlobal"));
            case "PUT" -> setLevel(p.get(1), r);
            case "DELETE" -> deleteLevel(p.get(1));
            default -> throw notAllowed(r);
          };
        }
      }
      case "mode" -> {
        if (n <= 2) {
          return method(r, "GET", () -> RegistryState.JSON.createObjectNode().put("mode", "READWRITE"));
        }
      }
      default -> {
        // Falls through to the 404 below.
      }
    }
    throw new ApiError(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
        "Endpoint not found: " + r.method() + " /" + String.join("/", p));
  }

  private static Object method(final Request r, final String expected, final java.util.function.Supplier<Object> op) {
    if (!r.method().equals(expected)) {
      throw notAllowed(r);
    }
    return op.get();
  }

  private static ApiError notAllowed(final Request r) {
    return new ApiError(405, 405, "HTTP 405 Method Not Allowed: " + r.method() + " /" + String.join("/", r.path()));
  }

  // ---------------------------------------------------------------- operations

  private synchronized List<String> subjects(final Request r) {
    return state.subjects(r.flag("deleted"));
  }

  private synchronized List<Integer> versions(final String subject, final boolean includeDeleted) {
    final List<Version> versions = includeDeleted ? state.allVersions(subject) : state.liveVersions(subject);
    if (versions.isEmpty()) {
      throw subjectNotFound(subject);
    }
    return versions.stream().map(Version::version).toList();
  }

  private synchronized ObjectNode register(final String subject, final Request r) {
    final Schema schema = schemaFromBody(r);
    final List<Version> live = state.liveVersions(subject);
    for (final Version version : live) {
      if (parse(version.schema()).equals(schema)) {
        return RegistryState.JSON.createObjectNode().put("id", version.id());
      }
    }
    final CompatibilityLevel level = state.effectiveLevel(subject);
    final List<String> problems = level.problems(schema, live.stream().map(v -> parse(v.schema())).toList());
    if (!problems.isEmpty()) {
      throw new ApiError(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
          "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\" ("
              + level + "), details: " + problems);
    }
    final String canonical = schema.toString();
    final Integer existingId = state.idOf(canonical);
    final int id = existingId != null ? existingId : state.nextId();
    final Version version = new Version(subject, state.nextVersion(subject), id, canonical, false);
    persist(RegistryState.schemaKey(subject, version.version()), RegistryState.schemaValue(version));
    LOG.info("Registered schema {} under subject '{}' as version {} with id {}", schema.getFullName(), subject,
        version.version(), id);
    return RegistryState.JSON.createObjectNode().put("id", id);
  }

  private synchronized ObjectNode lookup(final String subject, final Request r) {
    final Schema schema = schemaFromBody(r);
    final List<Version> versions = r.flag("deleted") ? state.allVersions(subject) : state.liveVersions(subject);
    if (versions.isEmpty()) {
      throw subjectNotFound(subject);
    }
    for (final Version version : versions) {
      if (parse(version.schema()).equals(schema)) {
        return versionJson(version);
      }
    }
    throw new ApiError(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found");
  }

  private synchronized List<Integer> deleteSubject(final String subject, final boolean permanent) {
    final List<Version> live = state.liveVersions(subject);
    final List<Integer> deleted = new ArrayList<>();
    if (permanent) {
      if (!live.isEmpty()) {
        throw new ApiError(404, 40405, "Subject '" + subject + "' was not deleted first before being permanently "
            + "deleted");
      }
      final List<Version> all = state.allVersions(subject);
      if (all.isEmpty()) {
        throw subjectNotFound(subject);
      }
      for (final Version version : all) {
        persist(RegistryState.schemaKey(subject, version.version()), null);
        deleted.add(version.version());
      }
      return deleted;
    }
    if (live.isEmpty()) {
      throw subjectNotFound(subject);
    }
    for (final Version version : live) {
      persist(RegistryState.schemaKey(subject, version.version()), RegistryState.schemaValue(
          new Version(subject, version.version(), version.id(), version.schema(), true)));
      deleted.add(version.version());
    }
    return deleted;
  }

  private synchronized Integer deleteVersion(final String subject, final String versionText,
      final boolean permanent) {
    final Version version = findVersion(subject, versionText, permanent);
    if (permanent) {
      if (!version.deleted()) {
        throw new ApiError(404, 40407, "Subject '" + subject + "' version " + version.version()
            + " was not deleted first before being permanently deleted");
      }
      persist(RegistryState.schemaKey(subject, version.version()), null);
    } else {
      persist(RegistryState.schemaKey(subject, version.version()), RegistryState.schemaValue(
          new Version(subject, version.version(), version.id(), version.schema(), true)));
    }
    return version.version();
  }

  private synchronized Version findVersion(final String subject, final String versionText,
      final boolean includeDeleted) {
    final List<Version> versions = includeDeleted ? state.allVersions(subject) : state.liveVersions(subject);
    final boolean latest = versionText.equals("latest") || versionText.equals("-1");
    int number = -1;
    if (!latest) {
      try {
        number = Integer.parseInt(versionText);
      } catch (NumberFormatException e) {
        number = 0;
      }
      if (number < 1) {
        throw new ApiError(422, SchemaRegistryException.INVALID_VERSION, "The specified version '" + versionText
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
      }
    }
    if (versions.isEmpty()) {
      throw subjectNotFound(subject);
    }
    if (latest) {
      return versions.get(versions.size() - 1);
    }
    final int wanted = number;
    return versions.stream().filter(v -> v.version() == wanted).findFirst()
        .orElseThrow(() -> new ApiError(404, SchemaRegistryException.VERSION_NOT_FOUND,
            "Version " + wanted + " not found."));
  }

  private synchronized String schemaById(final int id) {
    final String schema = state.schemaById(id);
    if (schema == null) {
      throw new ApiError(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }
    return schema;
  }

  private synchronized ObjectNode compatibility(final String subject, final String versionText, final Request r) {
    final Schema schema = schemaFromBody(r);
    final CompatibilityLevel level = state.effectiveLevel(subject);
    final List<Version> live = state.liveVersions(subject);
    final List<String> problems;
    if (versionText == null || versionText.equals("latest") || versionText.equals("-1")) {
      // Against the subject's history as its level says (all versions for transitive levels).
      problems = level.problems(schema, live.stream().map(v -> parse(v.schema())).toList());
    } else {
      final Version version = findVersion(subject, versionText, false);
      problems = nonTransitive(level).problems(schema, List.of(parse(version.schema())));
    }
    final ObjectNode answer = RegistryState.JSON.createObjectNode().put("is_compatible", problems.isEmpty());
    if (r.flag("verbose")) {
      final ArrayNode messages = answer.putArray("messages");
      problems.forEach(messages::add);
    }
    return answer;
  }

  private static CompatibilityLevel nonTransitive(final CompatibilityLevel level) {
    return switch (level) {
      case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
      case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
      case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
      default -> level;
    };
  }

  private synchronized CompatibilityLevel globalLevel() {
    return state.globalLevel();
  }

  private synchronized ObjectNode subjectConfig(final String subject, final boolean defaultToGlobal) {
    final CompatibilityLevel level = state.subjectLevel(subject);
    if (level != null) {
      return levelJson("compatibilityLevel", level);
    }
    if (defaultToGlobal) {
      return levelJson("compatibilityLevel", state.globalLevel());
    }
    throw new ApiError(404, SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
        "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  private synchronized ObjectNode setLevel(final String subjectOrNull, final Request r) {
    final JsonNode value = r.body() == null ? null : r.body().get("compatibility");
    if (value == null || !value.isTextual()) {
      throw new ApiError(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
          "Body must be {\"compatibility\": \"<level>\"} with one of " + List.of(CompatibilityLevel.values()));
    }
    final CompatibilityLevel level;
    try {
      level = CompatibilityLevel.parse(value.asText());
    } catch (IllegalArgumentException e) {
      throw new ApiError(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
          "Invalid compatibility level. " + e.getMessage());
    }
    persist(RegistryState.configKey(subjectOrNull), RegistryState.configValue(level));
    return levelJson("compatibility", level);
  }

  private synchronized ObjectNode deleteLevel(final String subject) {
    final CompatibilityLevel previous = state.subjectLevel(subject);
    if (previous == null) {
      throw subjectNotFound(subject);
    }
    persist(RegistryState.configKey(subject), null);
    return levelJson("compatibilityLevel", previous);
  }

  private void persist(final String key, final String value) {
    store.write(key, value);
    state.apply(key, value);
  }

  private static ObjectNode levelJson(final String field, final CompatibilityLevel level) {
    return RegistryState.JSON.createObjectNode().put(field, level.name());
  }

  private static Schema schemaFromBody(final Request r) {
    final JsonNode body = r.body();
    if (body == null || !body.path("schema").isTextual()) {
      throw new ApiError(422, SchemaRegistryException.INVALID_SCHEMA,
          "Body must be {\"schema\": \"<Avro schema JSON as a string>\"}");
    }
    final JsonNode type = body.get("schemaType");
    if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
      throw new ApiError(422, SchemaRegistryException.INVALID_SCHEMA,
          "Unsupported schema type '" + type.asText() + "': this registry holds AVRO only");
    }
    final JsonNode references = body.get("references");
    if (references != null && references.isArray() && !references.isEmpty()) {
      throw new ApiError(422, SchemaRegistryException.INVALID_SCHEMA,
          "Schema references are not supported by the embedded registry; inline the referenced types");
    }
    try {
      return parse(body.get("schema").asText());
    } catch (RuntimeException e) {
      // Avro reports some bad schemas (e.g. an unknown type name) with other runtime exceptions than
      // SchemaParseException.
      throw new ApiError(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
    }
  }

  private static Schema parse(final String schema) {
    return new Schema.Parser().parse(schema);
  }

  private static int parseId(final String text) {
    try {
      final int id = Integer.parseInt(text);
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw new ApiError(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
  }

  private static ApiError subjectNotFound(final String subject) {
    return new ApiError(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
  }

  private static ObjectNode versionJson(final Version version) {
    return RegistryState.JSON.createObjectNode().put("subject", version.subject()).put("version", version.version())
        .put("id", version.id()).put("schema", version.schema());
  }
}
