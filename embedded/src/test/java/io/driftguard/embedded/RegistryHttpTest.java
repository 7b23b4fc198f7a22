package io.driftguard.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.schemas.registry.RegistryClientConfig;
import io.driftguard.schemas.registry.RestSchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Talks plain HTTP to the embedded registry, as Confluent clients in other languages do. */
@ExtendWith(KafkaStackExtension.class)
class RegistryHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CT = "application/vnd.schemaregistry.v1+json";
  private static final String SCHEMA = """
      {"type":"record","name":"Click","namespace":"http","fields":[{"name":"url","type":"string"}]}""";
  private static final String SCHEMA_V2 = """
      {"type":"record","name":"Click","namespace":"http","fields":[{"name":"url","type":"string"},
        {"name":"ms","type":"long","default":0}]}""";

  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedStack embedded;

  private record Reply(int status, JsonNode json, String raw, String contentType) {
  }

  private Reply call(final KafkaStackInfo stack, final String method, final String path, final String body)
      throws IOException, InterruptedException {
    return call(stack.schemaRegistryUrl(), method, path, body, null, CT);
  }

  private Reply call(final String base, final String method, final String path, final String body,
      final String auth, final String contentType) throws IOException, InterruptedException {
    final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    if (auth != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes()));
    }
    final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    if (!response.body().isEmpty()) {
      json = JSON.readTree(response.body());
    }
    return new Reply(response.statusCode(), json, response.body(),
        response.headers().firstValue("Content-Type").orElse(""));
  }

  private static String schemaBody(final String schema) {
    return JSON.createObjectNode().put("schema", schema).toString();
  }

  @Test
  void shouldReturnIdWhenNewSchemaIsPostedToVersions(final KafkaStackInfo stack) throws Exception {
    // When
    final Reply posted = call(stack, "POST", "/subjects/x-value/versions", schemaBody(SCHEMA));
    final Reply again = call(stack, "POST", "/subjects/x-value/versions", schemaBody(SCHEMA));

    // Then
    assertThat(posted.status()).isEqualTo(200);
    assertThat(posted.contentType()).isEqualTo(CT);
    assertThat(posted.json().get("id").isInt()).isTrue();
    assertThat(posted.json().size()).isEqualTo(1);
    assertThat(again.json().get("id").asInt()).isEqualTo(posted.json().get("id").asInt());
  }

  @Test
  void shouldListSubjectsWhenGetSubjectsIsCalledOverPlainHttp(final KafkaStackInfo stack) throws Exception {
    // Given
    call(stack, "POST", "/subjects/listed-value/versions", schemaBody(SCHEMA));

    // When
    final Reply reply = call(stack, "GET", "/subjects", null);

    // Then: also, the field and the parameter are the one shared stack
    assertThat(embedded).isSameAs(stack);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().isArray()).isTrue();
    assertThat(reply.json().toString()).contains("\"listed-value\"");
  }

  @Test
  void shouldServeVersionsIdsAndLookupsWhenSchemasExist(final KafkaStackInfo stack) throws Exception {
    // Given: two versions, posted as plain application/json
    final int id1 = call(stack.schemaRegistryUrl(), "POST", "/subjects/look-value/versions", schemaBody(SCHEMA),
        null, "application/json").json().get("id").asInt();
    final int id2 = call(stack, "POST", "/subjects/look-value/versions", schemaBody(SCHEMA_V2)).json().get("id")
        .asInt();

    // When / Then
    assertThat(call(stack, "GET", "/subjects/look-value/versions", null).json().toString()).isEqualTo("[1,2]");
    final JsonNode latest = call(stack, "GET", "/subjects/look-value/versions/latest", null).json();
    assertThat(latest.get("subject").asText()).isEqualTo("look-value");
    assertThat(latest.get("version").asInt()).isEqualTo(2);
    assertThat(latest.get("id").asInt()).isEqualTo(id2);
    assertThat(new Schema.Parser().parse(latest.get("schema").asText()))
        .isEqualTo(new Schema.Parser().parse(SCHEMA_V2));
    final Reply raw = call(stack, "GET", "/subjects/look-value/versions/1/schema", null);
    assertThat(new Schema.Parser().parse(raw.raw())).isEqualTo(new Schema.Parser().parse(SCHEMA));
    final Reply byId = call(stack, "GET", "/schemas/ids/" + id1 + "?subject=look-value&fetchMaxId=false", null);
    assertThat(new Schema.Parser().parse(byId.json().get("schema").asText()))
        .isEqualTo(new Schema.Parser().parse(SCHEMA));
    assertThat(new Schema.Parser().parse(call(stack, "GET", "/schemas/ids/" + id2 + "/schema", null).raw()))
        .isEqualTo(new Schema.Parser().parse(SCHEMA_V2));
    final JsonNode lookup = call(stack, "POST", "/subjects/look-value", schemaBody(SCHEMA)).json();
    assertThat(lookup.get("version").asInt()).isEqualTo(1);
    assertThat(lookup.get("id").asInt()).isEqualTo(id1);
    assertThat(call(stack, "GET", "/schemas/types", null).json().toString()).isEqualTo("[\"AVRO\"]");
    assertThat(call(stack, "GET", "/", null).status()).isEqualTo(200);
    assertThat(call(stack, "POST", "/compatibility/subjects/look-value/versions/latest?verbose=true",
        schemaBody(SCHEMA)).json().get("is_compatible").asBoolean()).isTrue();
    assertThat(call(stack, "GET", "/schemas/ids/" + id1 + "/subjects", null).json().toString())
        .contains("look-value");
  }

  @Test
  void shouldAnswerConfluentErrorCodesWhenRequestsAreWrong(final KafkaStackInfo stack) throws Exception {
    // Given
    call(stack, "POST", "/subjects/err-value/versions", schemaBody(SCHEMA));

    // When / Then
    assertError(call(stack, "GET", "/subjects/nope-value/versions", null), 404, 40401);
    assertError(call(stack, "GET", "/subjects/err-value/versions/9", null), 404, 40402);
    assertError(call(stack, "GET", "/subjects/err-value/versions/zero", null), 422, 42202);
    assertError(call(stack, "GET", "/schemas/ids/99999", null), 404, 40403);
    assertError(call(stack, "POST", "/subjects/err-value", schemaBody(SCHEMA_V2)), 404, 40403);
    assertError(call(stack, "POST", "/subjects/err-value/versions", schemaBody("{\"type\":\"recrd\"}")), 422, 42201);
    assertError(call(stack, "PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
    assertError(call(stack, "GET", "/contexts/.ctx/subjects", null), 404, 40401);
    assertError(call(stack, "GET", "/subjects/err-value/metadata", null), 404, 40401);
    assertError(call(stack, "DELETE", "/schemas/types", null), 405, 405);
    assertError(call(stack, "POST", "/subjects/err-value/versions", "not json"), 400, 400);
  }

  @Test
  void shouldSoftDeleteSubjectWhenDeleteIsCalled(final KafkaStackInfo stack) throws Exception {
    // Given
    final int id = call(stack, "POST", "/subjects/gone-value/versions", schemaBody(SCHEMA)).json().get("id").asInt();

    // When
    final Reply deleted = call(stack, "DELETE", "/subjects/gone-value", null);

    // Then: the subject is gone but its id still resolves, as in Confluent
    assertThat(deleted.json().toString()).isEqualTo("[1]");
    assertThat(call(stack, "GET", "/subjects", null).json().toString()).doesNotContain("\"gone-value\"");
    assertError(call(stack, "GET", "/subjects/gone-value/versions/latest", null), 404, 40401);
    assertThat(call(stack, "GET", "/schemas/ids/" + id, null).status()).isEqualTo(200);
  }

  @Test
  void shouldRequireCredentialsWhenBasicAuthIsConfigured(final KafkaStackInfo stack) throws Exception {
    // Given: a second registry on the shared broker, with its own topic and basic auth
    try (EmbeddedSchemaRegistry secured = EmbeddedSchemaRegistry.start(
        EmbeddedSchemaRegistry.Config.of(stack.bootstrapServers(), 0).withTopic("_schemas_auth_test")
            .withBasicAuth("alice:wonder"))) {
      final Schema schema = new Schema.Parser().parse(SCHEMA);

      // When / Then
      assertError(call(secured.url(), "GET", "/subjects", null, null, CT), 401, 401);
      assertError(call(secured.url(), "GET", "/subjects", null, "alice:wrong", CT), 401, 401);
      assertThat(call(secured.url(), "GET", "/subjects", null, "alice:wonder", CT).status()).isEqualTo(200);
      final RestSchemaRegistryClient good = new RestSchemaRegistryClient(
          RegistryClientConfig.of(secured.url()).withBasicAuth("alice:wonder"));
      assertThat(good.register("sec-value", schema)).isEqualTo(1);
      final RestSchemaRegistryClient anonymous = RestSchemaRegistryClient.of(secured.url());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> anonymous.subjects())
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    }
  }

  private static void assertError(final Reply reply, final int status, final int code) {
    assertThat(reply.status()).as(reply.raw()).isEqualTo(status);
    assertThat(reply.contentType()).isEqualTo(CT);
    assertThat(reply.json().get("error_code").asInt()).as(reply.raw()).isEqualTo(code);
    assertThat(reply.json().get("message").asText()).isNotBlank();
  }
}
