package io.driftguard.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API. Caches id to schema and
 * subject+schema to id, both bounded by {@link RegistryClientConfig#cacheCapacity()}; ids never change, so entries
 * never expire. Thread-safe.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final String authorization;
  private final LruCache<Integer, Schema> schemasById;
  private final LruCache<SubjectSchema, Integer> idsBySubjectSchema;

  private record SubjectSchema(String subject, Schema schema) {
  }

  public RestSchemaRegistryClient(final RegistryClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    final HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(config.requestTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL);
    if (config.tls() != null) {
      builder.sslContext(sslContext(config.tls()));
    }
    this.http = builder.build();
    this.authorization = config.basicAuthUserInfo() == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
    this.schemasById = new LruCache<>(config.cacheCapacity());
    this.idsBySubjectSchema = new LruCache<>(config.cacheCapacity());
  }

  /** A client for one or more comma-separated URLs, no auth. */
  public static RestSchemaRegistryClient of(final String urls) {
    return new RestSchemaRegistryClient(RegistryClientConfig.of(urls));
  }

  public RegistryClientConfig config() {
    return config;
  }

  @Override
  public int register(final String subject, final Schema schema) {
    return idOf(subject, schema, "/subjects/" + encode(requireSubject(subject)) + "/versions", "register under");
  }

  @Override
  public int getId(final String subject, final Schema schema) {
    return idOf(subject, schema, "/subjects/" + encode(requireSubject(subject)), "look up schema under");
  }

  /** Both registering and looking up answer with the id; either way it is cached for both. */
  private int idOf(final String subject, final Schema schema, final String path, final String action) {
    Objects.requireNonNull(schema, "schema");
    final SubjectSchema key = new SubjectSchema(subject, schema);
    final Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    final JsonNode response = send("POST", path, schemaBody(schema));
    final int id = requiredInt(response, "id", action + " subject '" + subject + "'");
    idsBySubjectSchema.put(key, id);
    schemasById.put(id, schema);
    return id;
  }

  @Override
  public Schema getById(final int id) {
    final Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    final JsonNode response = send("GET", "/schemas/ids/" + id, null);
    final Schema schema = parseSchema(response, "schema id " + id);
    schemasById.put(id, schema);
    return schema;
  }

  @Override
  public RegisteredSchema getLatest(final String subject) {
    requireSubject(subject);
    return fetchVersion(subject, "latest");
  }

  @Override
  public RegisteredSchema getVersion(final String subject, final int version) {
    requireSubject(subject);
    if (version < 1) {
      throw new IllegalArgumentException("Version must be >= 1 for subject '" + subject + "', was " + version);
    }
    return fetchVersion(subject, Integer.toString(version));
  }

  private RegisteredSchema fetchVersion(final String subject, final String version) {
    final JsonNode response = send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
    final String what = "subject '" + subject + "' version " + version;
    final Schema schema = parseSchema(response, what);
    final int id = requiredInt(response, "id", "read " + what);
    schemasById.put(id, schema);
    return new RegisteredSchema(subject, requiredInt(response, "version", "read " + what), id, schema);
  }

  @Override
  public List<Integer> versions(final String subject) {
    requireSubject(subject);
    final JsonNode response = send("GET", "/subjects/" + encode(subject) + "/versions", null);
    return intList(response, "versions of subject '" + subject + "'");
  }

  @Override
  public List<String> subjects() {
    final JsonNode response = send("GET", "/subjects", null);
    if (!response.isArray()) {
      throw unreadable("GET /subjects", "expected a JSON array, got " + response.getNodeType());
    }
    final List<String> subjects = new ArrayList<>();
    response.forEach(node -> subjects.add(node.asText()));
    subjects.sort(null);
    return subjects;
  }

  @Override
  public boolean isCompatible(final String subject, final Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    try {
      final JsonNode response = send("POST",
          "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
      final JsonNode flag = response.get("is_compatible");
      if (flag == null || !flag.isBoolean()) {
        throw unreadable("POST /compatibility/subjects/" + subject + "/versions/latest",
            "no boolean 'is_compatible' in the answer");
      }
      return flag.asBoolean();
    } catch (SchemaRegistryException e) {
      // Older registries answer 40401/40402 for a subject without versions; anything is compatible with nothing.
      if (e.isSubjectNotFound() || e.isVersionNotFound()) {
        return true;
      }
      throw e;
    }
  }

  @Override
  public String getCompatibility(final String subjectOrNull) {
    final String path = subjectOrNull == null ? "/config" : "/config/" + encode(subjectOrNull) + "?defaultToGlobal=true";
    try {
      return compatibilityOf(send("GET", path, null), path);
    } catch (SchemaRegistryException e) {
      // Registries without defaultToGlobal answer 40401/40408 for a subject without its own level.
      if (subjectOrNull != null && (e.isSubjectNotFound()
          || e.errorCode() == SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED)) {
        return getCompatibility(null);
      }
      throw e;
    }
  }

  private String compatibilityOf(final JsonNode response, final String path) {
    final JsonNode level = response.has("compatibilityLevel") ? response.get("compatibilityLevel")
        : response.get("compatibility");
    if (level == null || !level.isTextual()) {
      throw unreadable("GET " + path, "no 'compatibilityLevel' in the answer");
    }
    return level.asText();
  }

  @Override
  public void setCompatibility(final String subjectOrNull, final String level) {
    final CompatibilityLevel parsed = CompatibilityLevel.parse(level);
    final ObjectNode body = JSON.createObjectNode().put("compatibility", parsed.name());
    send("PUT", subjectOrNull == null ? "/config" : "/config/" + encode(subjectOrNull), body);
  }

  @Override
  public List<Integer> deleteSubject(final String subject) {
    requireSubject(subject);
    final JsonNode response = send("DELETE", "/subjects/" + encode(subject), null);
    idsBySubjectSchema.removeIf(key -> key.subject().equals(subject));
    return intList(response, "deleted versions of subject '" + subject + "'");
  }

  private JsonNode send(final String method, final String path, final JsonNode body) {
    IOException lastFailure = null;
    for (final URI base : config.urls()) {
      final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(config.requestTimeout())
          .header("Accept", ACCEPT)
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
      if (body != null) {
        request.header("Content-Type", CONTENT_TYPE);
      }
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      final HttpResponse<InputStream> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (ConnectException | HttpConnectTimeoutException e) {
        // Only connection failures fail over: a request that may have reached a registry is not repeated.
        lastFailure = e;
        continue;
      } catch (HttpTimeoutException e) {
        throw new SchemaRegistryException(-1, SchemaRegistryException.OPERATION_TIMEOUT,
            method + " " + base + path + " timed out after " + config.requestTimeout(), e);
      } catch (IOException e) {
        throw new SchemaRegistryException(-1, SchemaRegistryException.TRANSPORT_ERROR,
            method + " " + base + path + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(-1, SchemaRegistryException.TRANSPORT_ERROR,
            method + " " + base + path + " was interrupted", e);
      }
      return readResponse(method, base + path, response);
    }
    throw new SchemaRegistryException(-1, SchemaRegistryException.TRANSPORT_ERROR,
        "Cannot reach schema registry at " + config.urls() + " for " + method + " " + path + ": " + lastFailure,
        lastFailure);
  }

  private static JsonNode readResponse(final String method, final String url, final HttpResponse<InputStream> response) {
    final byte[] bytes;
    try (InputStream in = response.body()) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new SchemaRegistryException(response.statusCode(), SchemaRegistryException.TRANSPORT_ERROR,
          method + " " + url + ": cannot read the answer: " + e, e);
    }
    final int status = response.statusCode();
    JsonNode json = null;
    try {
      json = bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
    } catch (IOException e) {
      if (status < 300) {
        throw new SchemaRegistryException(status, SchemaRegistryException.TRANSPORT_ERROR,
            method + " " + url + " returned HTTP " + status + " with a body that is not JSON", e);
      }
    }
    if (status >= 200 && status < 300) {
      return json;
    }
    final int errorCode = json != null && json.path("error_code").isInt() ? json.get("error_code").asInt() : status;
    final String message = json != null && json.path("message").isTextual() ? json.get("message").asText()
        : new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8);
    throw new SchemaRegistryException(status, errorCode, "Schema registry " + method + " " + url + " failed with HTTP "
        + status + ", error code " + errorCode + " (" + SchemaRegistryException.describe(errorCode) + "): "
        + message);
  }

  private static ObjectNode schemaBody(final Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString());
  }

  private static Schema parseSchema(final JsonNode response, final String what) {
    final JsonNode type = response.get("schemaType");
    if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
      throw new SchemaRegistryException(200, SchemaRegistryException.INVALID_SCHEMA,
          "The registry holds a " + type.asText() + " schema for " + what + "; driftguard reads only AVRO");
    }
    final JsonNode text = response.get("schema");
    if (text == null || !text.isTextual()) {
      throw unreadable(what, "no 'schema' string in the answer");
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (RuntimeException e) {
      // Avro reports some bad schemas with other runtime exceptions than SchemaParseException.
      throw new SchemaRegistryException(200, SchemaRegistryException.INVALID_SCHEMA,
          "The registry returned an unparsable Avro schema for " + what + ": " + e.getMessage(), e);
    }
  }

  private static int requiredInt(final JsonNode response, final String field, final String what) {
    final JsonNode node = response == null ? null : response.get(field);
    if (node == null || !node.canConvertToInt()) {
      throw unreadable(what, "no integer '" + field + "' in the answer");
    }
    return node.asInt();
  }

  private static List<Integer> intList(final JsonNode response, final String what) {
    if (response == null || !response.isArray()) {
      throw unreadable(what, "expected a JSON array of integers");
    }
    final List<Integer> values = new ArrayList<>();
    response.forEach(node -> values.add(node.asInt()));
    return values;
  }

  private static SchemaRegistryException unreadable(final String what, final String problem) {
    return new SchemaRegistryException(-1, SchemaRegistryException.TRANSPORT_ERROR,
        "Unreadable schema registry answer for " + what + ": " + problem);
  }

  private static String requireSubject(final String subject) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("Subject must not be blank");
    }
    return subject;
  }

  private static String encode(final String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static SSLContext sslContext(final RegistryClientConfig.Tls tls) {
    try {
      TrustManagerFactory trust = null;
      if (tls.truststorePath() != null) {
        final KeyStore store = load(tls.truststorePath(), tls.truststoreType(), tls.truststorePassword());
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
      }
      KeyManagerFactory keys = null;
      if (tls.keystorePath() != null) {
        final KeyStore store = load(tls.keystorePath(), tls.keystoreType(), tls.keystorePassword());
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        final String keyPassword = tls.keyPassword() != null ? tls.keyPassword() : tls.keystorePassword();
        keys.init(store, keyPassword == null ? new char[0] : keyPassword.toCharArray());
      }
      final SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("Cannot set up TLS for the schema registry client from " + tls + ": " + e, e);
    }
  }

  private static KeyStore load(final Path path, final String type, final String password)
      throws GeneralSecurityException, IOException {
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException("Key/trust store '" + path + "' does not exist or is not readable");
    }
    final KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, password == null ? null : password.toCharArray());
    }
    return store;
  }
}
