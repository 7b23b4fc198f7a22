package io.driftguard.drift.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.drift.metrics.DriftMetrics;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.platform.metrics.MetricsServer;
import io.driftguard.platform.topics.TopicSpec;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** POST /rollback over real HTTP, mounted on platform-core's MetricsServer, writing to the embedded broker. */
@ExtendWith(KafkaStackExtension.class)
class RollbackHandlerTest {

    private static final String TOKEN = "s3cret-token-for-tests";
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final String CONTROL = "rollback-test-model-control";
    private static final String ALERTS = "rollback-test-alerts";

    static KafkaStackInfo stack;
    private static MetricsServer server;
    private static RollbackCommandSink sink;
    private static SchemaRegistryClient registry;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        stack.createTopics(1, CONTROL, ALERTS);
        registry = stack.registryClient();
        final TopicSpec<String, ModelCommand> control = new TopicSpec<>(CONTROL, Serdes.String(),
                AvroSerdes.specific(ModelCommand.class, registry, false));
        final TopicSpec<String, Alert> alerts = new TopicSpec<>(ALERTS, Serdes.String(),
                AvroSerdes.specific(Alert.class, registry, false));
        final Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        sink = new RollbackCommandSink(
                new KafkaProducer<>(props, new StringSerializer(), control.valueSerde().serializer()),
                new KafkaProducer<>(props, new StringSerializer(), alerts.valueSerde().serializer()), control, alerts);
        final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final DriftMetrics metrics = new DriftMetrics();
        metrics.bindTo(meters);
        server = MetricsServer.start("127.0.0.1", 0, meters);
        server.mount(RollbackHandler.PATH, new RollbackHandler(TOKEN, sink, metrics, Clock.fixed(NOW,
                ZoneOffset.UTC)));
    }

    @AfterAll
    static void stop() {
        server.close();
        sink.close();
    }

    private static HttpResponse<String> post(final String authorization, final String body) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + RollbackHandler.PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> readAll(final String topic, final Class<T> type, final int expected) {
        final Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "rollback-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        final List<T> values = new ArrayList<>();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                AvroSerdes.specific(type, registry, false).deserializer())) {
            consumer.subscribe(List.of(topic));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= expected;
            });
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value())); // shows an extra record
        }
        return values;
    }

    @Test
    void shouldAnswer401WhenTheTokenIsMissingAnd403WhenItIsWrong() throws Exception {
        // Given
        final String body = "{\"model\":\"fraud\",\"reason\":\"test\"}";

        // When
        final HttpResponse<String> missing = post(null, body);
        final HttpResponse<String> wrong = post("Bearer not-the-token", body);
        final HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + RollbackHandler.PATH)).header("Authorization", "Bearer " + TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        // Then
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                assertThat(v).startsWith("Bearer"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void shouldAnswer400NamingTheFieldWhenTheBodyIsBad() throws Exception {
        // When
        final HttpResponse<String> noModel = post("Bearer " + TOKEN, "{\"reason\":\"x\"}");
        final HttpResponse<String> badArm = post("Bearer " + TOKEN, "{\"model\":\"m\",\"reason\":\"x\",\"arm\":\"SHADOW\"}");
        final HttpResponse<String> notJson = post("Bearer " + TOKEN, "model=fraud");
        final HttpResponse<String> oldWebhook = post("Bearer " + TOKEN, "{\"version\":\"3\",\"alerts\":[]}");

        // Then
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(noModel.body()).contains("model: required");
        assertThat(badArm.statusCode()).isEqualTo(400);
        assertThat(badArm.body()).contains("arm: must be CHAMPION or CANARY");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(oldWebhook.statusCode()).isEqualTo(400);
        assertThat(oldWebhook.body()).contains("version");
    }

    @Test
    void shouldWriteRollbackAndClearCommandsWithAuditsWhenASimpleBodyAndAnAlertmanagerWebhookArePosted()
            throws Exception {
        // Given
        final String simple = "{\"model\":\"fraud\",\"reason\":\"bad release\"}";
        final String webhook = """
                {"version":"4","status":"firing","receiver":"driftguard","groupKey":"g",
                 "alerts":[
                   {"status":"firing","labels":{"alertname":"CanaryDrift","model_name":"fraud","arm":"CANARY"},
                    "annotations":{"summary":"psi high"},"fingerprint":"abc"},
                   {"status":"firing","labels":{"alertname":"CanaryNullRate","model_name":"fraud","arm":"CANARY"},
                    "fingerprint":"abd"},
                   {"status":"resolved","labels":{"alertname":"Old","model_name":"other"},"fingerprint":"def"}]}
                """;

        // When
        final HttpResponse<String> first = post("Bearer " + TOKEN, simple);
        final HttpResponse<String> second = post("bearer " + TOKEN, webhook);

        // Then one command per request: the webhook's two firing alerts on the same model and arm make one CLEAR
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        final List<ModelCommand> commands = readAll(CONTROL, ModelCommand.class, 2);
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0).getAction()).isEqualTo(ModelAction.ROLLBACK);
        assertThat(commands.get(0).getModelName()).isEqualTo("fraud");
        assertThat(commands.get(0).getIssuedBy()).isEqualTo("api");
        assertThat(commands.get(0).getIssuedAt()).isEqualTo(NOW);
        assertThat(commands.get(1).getAction()).isEqualTo(ModelAction.CLEAR);
        assertThat(commands.get(1).getIssuedBy()).isEqualTo("alertmanager");
        assertThat(commands.get(1).getReason()).contains("CanaryDrift", "psi high", "also CanaryNullRate");
        assertThat(first.body()).contains(commands.get(0).getCommandId());
        final List<Alert> audits = readAll(ALERTS, Alert.class, 2);
        assertThat(audits).hasSize(2).allSatisfy(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.AUDIT));
        assertThat(audits.get(1).getAttributes()).containsEntry("commandId", commands.get(1).getCommandId());
    }
}
