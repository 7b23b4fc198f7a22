package io.driftguard.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.drift.DriftApp;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.reliability.poison.Pipeline;
import io.driftguard.schemas.serde.AvroSerdes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback endpoint of a real drift-monitor, configured with a token file, rejects a missing, malformed or
 * wrong token (401/403) and writes nothing to {@code model-control} for them; only the right token writes a
 * ROLLBACK. (Promotion has no HTTP endpoint: {@code driftguard promote} writes to {@code model-control}, so Kafka's
 * own authentication and ACLs guard it.)
 */
@ExtendWith(KafkaStackExtension.class)
class RollbackEndpointAuthTest {
  private static final String PREFIX = "rbauth-";
  private static final String TOKEN = "rollback-token-0123456789abcdef";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BODY = "{\"model\": \"fraud\", \"reason\": \"auth test\"}";

  static KafkaStackInfo stack;
  @TempDir
  Path dir;

  private static HttpResponse<String> post(final int port, final String authorization) throws Exception {
    final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/rollback"))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(BODY))
        .header("Content-Type", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldRejectMissingAndWrongTokensAndWriteOnlyForTheRightOneWhenRollbackIsPosted() throws Exception {
    // Given drift-monitor with its rollback token in a file named by config
    stack.createTopics(1, PREFIX + "predictions", PREFIX + "labels", PREFIX + "alerts", PREFIX + "model-control",
        PREFIX + "dead-letters");
    final Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    final Map<String, String> env = new HashMap<>();
    env.put("DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
    env.put("DRIFTGUARD_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
    env.put("DRIFTGUARD_STREAMS_STATE_DIR", dir.resolve("state").toString());
    final var loaded = DriftApp.configLoader(env).loadYaml("""
        applicationId: %sdrift
        instanceId: it-1
        streams: {commitInterval: 200ms, shutdownTimeout: 10s}
        topics: {predictions: %spredictions, labels: %slabels, alerts: %salerts, modelControl: %smodel-control,
                 deadLetters: %sdead-letters, partitions: 1}
        metrics: {host: 127.0.0.1, port: 0}
        drift:
          registryDir: %s
          rollbackTokenFile: %s
        """.formatted(PREFIX, PREFIX, PREFIX, PREFIX, PREFIX, PREFIX, dir.resolve("registry"), tokenFile), "test");
    try (StreamsApp drift = DriftApp.create(loaded)) {
      drift.start();
      final int port = drift.server().port();

      // When requests come with no, malformed and wrong tokens
      final Map<String, HttpResponse<String>> rejected = new LinkedHashMap<>();
      rejected.put("no Authorization header", post(port, null));
      rejected.put("Basic scheme", post(port, "Basic " + java.util.Base64.getEncoder()
          .encodeToString(("admin:" + TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      rejected.put("empty bearer", post(port, "Bearer "));
      rejected.put("wrong bearer", post(port, "Bearer not-the-token"));
      rejected.put("token with a suffix", post(port, "Bearer " + TOKEN + "x"));
      rejected.put("token prefix only", post(port, "Bearer " + TOKEN.substring(0, 10)));

      // Then each is 401 (missing/other scheme, with a challenge) or 403 (wrong token)
      final Map<String, Integer> status = new LinkedHashMap<>();
      rejected.forEach((what, r) -> status.put(what, r.statusCode()));
      // (an empty bearer arrives as a bare "Bearer": no token at all)
      assertThat(status).isEqualTo(Map.of("no Authorization header", 401, "Basic scheme", 401, "empty bearer", 401,
          "wrong bearer", 403, "token with a suffix", 403, "token prefix only", 403));
      assertThat(rejected.get("no Authorization header").headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(rejected.values()).allSatisfy(r -> assertThat(r.body()).doesNotContain(TOKEN));

      // and the right token is accepted
      final HttpResponse<String> accepted = post(port, "Bearer " + TOKEN);
      assertThat(accepted.statusCode()).isEqualTo(202);

      // and model-control holds exactly one command: the accepted ROLLBACK
      final Deserializer<ModelCommand> commands = AvroSerdes.specific(ModelCommand.class, stack.registryClient(),
          false).deserializer();
      final List<ModelCommand> written = Pipeline.readUntil(stack.bootstrapServers(), PREFIX + "model-control",
          got -> !got.isEmpty(), Duration.ofMinutes(1), Map.of()).stream()
          .map(r -> commands.deserialize("x", r.value())).toList();
      assertThat(written).singleElement().satisfies(c -> {
        assertThat(c.getAction()).isEqualTo(ModelAction.ROLLBACK);
        assertThat(c.getModelName()).isEqualTo("fraud");
        assertThat(accepted.body()).contains(c.getCommandId());
      });
    }
  }
}
