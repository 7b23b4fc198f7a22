package io.driftguard.schemas.registry;

import static io.driftguard.schemas.registry.InMemorySchemaRegistryClientTest.V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks the HTTP conversation of the REST client against a scripted HTTP server: paths, headers, bodies, error
 * mapping and caching. The end-to-end behaviour against a real registry is tested in the embedded module.
 */
class RestSchemaRegistryClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Exchange(String method, String uri, String contentType, String authorization, String body) {
  }

  private record Answer(int status, String body) {
  }

  private HttpServer server;
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private String url;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      final String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
      exchanges.add(new Exchange(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          exchange.getRequestHeaders().getFirst("Content-Type"),
          exchange.getRequestHeaders().getFirst("Authorization"), body));
      final Answer answer = answers.getOrDefault(key,
          new Answer(404, "{\"error_code\":40401,\"message\":\"Subject not found.\"}"));
      final byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static String schemaJson(final String text) throws IOException {
    return JSON.writeValueAsString(text);
  }

  @Test
  void shouldPostSchemaWithRegistryContentTypeAndCacheIdWhenRegistering() throws IOException {
    // Given
    answers.put("POST /subjects/my%20topic-value/versions", new Answer(200, "{\"id\":7}"));
    final RestSchemaRegistryClient client = new RestSchemaRegistryClient(
        RegistryClientConfig.of(url).withBasicAuth("alice:pw"));

    // When
    final int id = client.register("my topic-value", V1);
    final int again = client.register("my topic-value", V1);
    final var schema = client.getById(7);

    // Then: one request only, the rest came from the caches
    assertThat(id).isEqualTo(7);
    assertThat(again).isEqualTo(7);
    assertThat(schema).isEqualTo(V1);
    assertThat(exchanges).hasSize(1);
    final Exchange exchange = exchanges.get(0);
    assertThat(exchange.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(exchange.authorization()).isEqualTo("Basic YWxpY2U6cHc=");
    assertThat(JSON.readTree(exchange.body()).get("schema").asText()).isEqualTo(V1.toString());
  }

  @Test
  void shouldMapConfluentErrorBodyWhenRegistryRefuses() {
    // Given
    answers.put("POST /subjects/t-value/versions", new Answer(409,
        "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}"));
    final RestSchemaRegistryClient client = RestSchemaRegistryClient.of(url);

    // When / Then
    assertThatThrownBy(() -> client.register("t-value", V1))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.errorCode()).isEqualTo(409);
          assertThat(e.isIncompatible()).isTrue();
        })
        .hasMessageContaining("HTTP 409")
        .hasMessageContaining("incompatible schema")
        .hasMessageContaining("/subjects/t-value/versions");
    assertThatThrownBy(() -> client.getLatest("missing"))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isSubjectNotFound()).isTrue())
        .hasMessageContaining("40401");
  }

  @Test
  void shouldReadVersionsSubjectsAndConfigWhenRegistryAnswers() throws IOException {
    // Given
    answers.put("GET /subjects/t-value/versions/latest", new Answer(200,
        "{\"subject\":\"t-value\",\"version\":2,\"id\":5,\"schema\":" + schemaJson(V1.toString()) + "}"));
    answers.put("GET /subjects", new Answer(200, "[\"z-value\",\"t-value\"]"));
    answers.put("GET /config", new Answer(200, "{\"compatibilityLevel\":\"BACKWARD\"}"));
    answers.put("GET /config/t-value?defaultToGlobal=true", new Answer(200, "{\"compatibilityLevel\":\"FULL\"}"));
    answers.put("PUT /config/t-value", new Answer(200, "{\"compatibility\":\"NONE\"}"));
    answers.put("POST /compatibility/subjects/t-value/versions/latest", new Answer(200, "{\"is_compatible\":false}"));
    final RestSchemaRegistryClient client = RestSchemaRegistryClient.of(url);

    // When / Then
    assertThat(client.getLatest("t-value")).isEqualTo(new RegisteredSchema("t-value", 2, 5, V1));
    assertThat(client.subjects()).containsExactly("t-value", "z-value");
    assertThat(client.getCompatibility(null)).isEqualTo("BACKWARD");
    assertThat(client.getCompatibility("t-value")).isEqualTo("FULL");
    assertThat(client.isCompatible("t-value", V1)).isFalse();
    assertThat(client.isCompatible("new-value", V1)).isTrue();
    client.setCompatibility("t-value", "none");
    assertThat(JSON.readTree(exchanges.get(exchanges.size() - 1).body()).get("compatibility").asText())
        .isEqualTo("NONE");
    assertThatThrownBy(() -> client.setCompatibility(null, "ALMOST"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ALMOST");
  }

  @Test
  void shouldFailOverToNextUrlWhenFirstIsUnreachable() throws IOException {
    // Given: a port nobody listens on, then the real one
    final int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    answers.put("GET /schemas/ids/3", new Answer(200, "{\"schema\":" + schemaJson(V1.toString()) + "}"));
    final RestSchemaRegistryClient client = RestSchemaRegistryClient.of("http://127.0.0.1:" + deadPort + "," + url);

    // When / Then
    assertThat(client.getById(3)).isEqualTo(V1);
  }

  @Test
  void shouldNameUrlWhenNoRegistryIsReachable() throws IOException {
    final int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    final RestSchemaRegistryClient client = RestSchemaRegistryClient.of("http://127.0.0.1:" + deadPort);
    assertThatThrownBy(() -> client.getById(1))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.TRANSPORT_ERROR))
        .hasMessageContaining("127.0.0.1:" + deadPort);
  }

  @Test
  void shouldRefuseNonAvroSchemaWhenRegistryHoldsProtobuf() {
    answers.put("GET /schemas/ids/4", new Answer(200, "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}"));
    final RestSchemaRegistryClient client = RestSchemaRegistryClient.of(url);
    assertThatThrownBy(() -> client.getById(4))
        .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("PROTOBUF");
  }
}
