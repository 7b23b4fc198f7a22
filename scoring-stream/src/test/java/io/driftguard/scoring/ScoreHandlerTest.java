package io.driftguard.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.avro.FeatureVector;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.platform.metrics.MetricsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /score} over a real HTTP server with real models; the feature store is a map of vectors. */
class ScoreHandlerTest {
  @TempDir
  static Path tmp;
  static ModelCatalog catalog;
  static ScoreHandler handler;
  static MetricsServer server;
  static final Map<String, FeatureVector> VECTORS = new ConcurrentHashMap<>();
  static final Instant T = ScoringHarness.WALL.minus(Duration.ofHours(1));
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    final ModelRegistry registry = TestModels.registry(tmp.resolve("registry"));
    registry.register(TestModels.train(tmp, "v1", 11), "test", "first");
    catalog = new ModelCatalog(registry, TestModels.MODEL, TestModels.FEATURES.hash());
    final ScoringMetrics metrics = new ScoringMetrics(TestModels.MODEL);
    metrics.bindTo(new SimpleMeterRegistry());
    final ScoringConfig config = new ScoringConfig(TestModels.MODEL, registry.root(), null, Duration.ofSeconds(5), 0,
        null, Duration.ofSeconds(10), null, null);
    handler = new ScoreHandler(config, TestModels.FEATURES, catalog,
        (entity, asOf) -> {
          final FeatureVector v = VECTORS.get(entity);
          return v != null && v.getEventTime().toEpochMilli() <= asOf ? v : null;
        },
        () -> new RolloutState(TestModels.MODEL, "v1", List.of(), null, 0, null, 0), metrics,
        Clock.fixed(ScoringHarness.WALL, ZoneOffset.UTC));
    server = MetricsServer.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    server.mount("/score", handler);
    VECTORS.put("card-1", ScoringHarness.vector("card-1", T, ScoringHarness.values(25)));
  }

  @AfterAll
  static void stop() {
    server.close();
    handler.close();
    catalog.close();
  }

  private static HttpResponse<String> post(final String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/score"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String event(final String card, final String amount) {
    return """
        {"eventId": "e-http-1", "cardId": "%s", "eventTime": "%s", "amount": %s, "currency": "EUR",
         "merchantId": "m-1", "merchantCategory": "grocery", "country": "DE", "channel": "ONLINE",
         "customerEmail": "bob@example.com"}
        """.formatted(card, T.plusSeconds(60), amount);
  }

  @Test
  void shouldReturnTheEnvelopeWhenTheRequestIsValid() throws Exception {
    // Given a known entity with a fresh vector
    // When a valid event is posted
    final HttpResponse<String> response = post(event("card-1", "42.5"));

    // Then the envelope carries the champion's score and everything that explains it, and no PII
    assertThat(response.statusCode()).isEqualTo(200);
    final JsonNode n = JSON.readTree(response.body());
    assertThat(n.get("requestId").asText()).isNotBlank();
    assertThat(n.get("eventId").asText()).isEqualTo("e-http-1");
    assertThat(n.get("score").asDouble()).isBetween(0.0, 1.0);
    assertThat(n.get("confidence").asDouble()).isBetween(0.5, 1.0);
    assertThat(n.get("decision").asText()).isIn("POSITIVE", "NEGATIVE");
    assertThat(n.get("modelVersion").asText()).isEqualTo("v1");
    assertThat(n.get("arm").asText()).isEqualTo("CHAMPION");
    assertThat(n.get("fallbackReason").isNull()).isTrue();
    assertThat(n.get("knownEntity").asBoolean()).isTrue();
    assertThat(n.get("features")).hasSize(TestModels.INPUTS.size());
    assertThat(n.get("features").get(2).get("ageMs").asLong()).isEqualTo(60_000);
    assertThat(response.body()).doesNotContain("bob@example.com");
  }

  @Test
  void shouldAnswer400NamingTheProblemWhenTheRequestIsMalformedIncompleteOrMistyped() throws Exception {
    // Given bodies with broken JSON, a missing field, a wrong type, an unknown enum symbol and a negative amount
    final String missing = event("card-1", "1").replace("\"currency\": \"EUR\",", "");
    final String mistyped = event("card-1", "\"lots\"");
    final String badEnum = event("card-1", "1").replace("ONLINE", "PIGEON");
    final String negative = event("card-1", "-3");

    // When each is posted
    // Then each gets a 400 whose message names the field
    assertThat(post("{\"eventId\": ").statusCode()).isEqualTo(400);
    assertThat(post("{\"eventId\": ").body()).contains("malformed JSON");
    assertThat(post(missing).body()).contains("missing field 'currency'");
    assertThat(post(mistyped).body()).contains("field 'amount' must be a number, got string");
    assertThat(post(badEnum).body()).contains("field 'channel' must be one of");
    assertThat(post(negative).statusCode()).isEqualTo(400);
    assertThat(post(negative).body()).contains("field 'amount'");
    assertThat(post("{\"nope\": 1}").body()).contains("unknown field 'nope'");
  }

  @Test
  void shouldApplyTheDeclaredDefaultsWhenTheEntityIsUnknown() throws Exception {
    // Given an entity without any vector
    // When an event of it is posted
    final HttpResponse<String> response = post(event("card-new", "12"));

    // Then the empty-history defaults and the artifact's policy decide (amount_max_24h has no default: ABSTAIN)
    assertThat(response.statusCode()).isEqualTo(200);
    final JsonNode n = JSON.readTree(response.body());
    assertThat(n.get("knownEntity").asBoolean()).isFalse();
    assertThat(n.get("decision").asText()).isEqualTo("ABSTAIN");
    assertThat(n.get("fallbackReason").asText()).isEqualTo("MISSING_FEATURE");
    assertThat(n.get("reasonCodes").toString()).contains("NO_FEATURE_VECTOR", "MISSING_FEATURE:amount_max_24h");
  }

  @Test
  void shouldRefuseOtherMethodsWhenNotPost() throws Exception {
    // Given the endpoint
    // When it is called with GET
    final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/score")).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    // Then 405
    assertThat(response.statusCode()).isEqualTo(405);
  }
}
