package io.driftguard.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.platform.deadletter.ReasonCode;
import io.micrometer.core.instrument.Tag;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private AppMetrics metrics;
    private MetricsServer server;

    @BeforeEach
    void setUp() {
        metrics = AppMetrics.create("scoring-stream", "host-1", Tag.of("model_name", "fraud"));
        server = MetricsServer.start("127.0.0.1", 0, metrics.registry());
    }

    @AfterEach
    void tearDown() {
        server.close();
        metrics.close();
    }

    private HttpResponse<String> get(final String path, final String accept) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServePrometheusTextWithCommonTagsWhenScraped() throws Exception {
        // Given
        metrics.platform().deadLetter("deserialize", ReasonCode.MALFORMED_BYTES);

        // When
        final HttpResponse<String> response = get("/metrics", null);

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
            v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.body())
            .contains("# HELP driftguard_dead_letters_total Records sent to the dead-letters topic")
            .contains("driftguard_dead_letters_total{app=\"scoring-stream\",instance=\"host-1\","
                + "model_name=\"fraud\",reason=\"MALFORMED_BYTES\",stage=\"deserialize\"} 1.0")
            .contains("jvm_memory_used_bytes{app=\"scoring-stream\"")
            .contains("jvm_gc_", "jvm_threads_live_threads", "jvm_classes_loaded_classes", "system_cpu_count",
                "process_uptime_seconds");
    }

    @Test
    void shouldServeOpenMetricsWhenAcceptHeaderAsksForIt() throws Exception {
        // When
        final HttpResponse<String> response = get("/metrics", "application/openmetrics-text; version=1.0.0");

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
            v -> assertThat(v).startsWith("application/openmetrics-text"));
        assertThat(response.body()).endsWith("# EOF\n");
    }

    @Test
    void shouldReportReadyOnlyWhenStreamsIsRunning() throws Exception {
        // Given: no streams yet
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        final HttpResponse<String> notStarted = get("/health/ready", null);
        assertThat(notStarted.statusCode()).isEqualTo(503);
        assertThat(notStarted.body())
            .isEqualTo("{\"status\":\"DOWN\",\"state\":\"NOT_STARTED\",\"brokers\":\"reachable\"}");

        // When
        server.readiness(() -> KafkaStreams.State.REBALANCING);
        final HttpResponse<String> rebalancing = get("/health/ready", null);
        server.readiness(() -> KafkaStreams.State.RUNNING);
        final HttpResponse<String> running = get("/health/ready", null);

        // Then
        assertThat(rebalancing.statusCode()).isEqualTo(503);
        assertThat(rebalancing.body()).contains("\"state\":\"REBALANCING\"");
        assertThat(running.statusCode()).isEqualTo(200);
        assertThat(running.body()).isEqualTo("{\"status\":\"UP\",\"state\":\"RUNNING\",\"brokers\":\"reachable\"}");
    }

    @Test
    void shouldReportNotReadyWhenStreamsRunsButBrokersDoNotAnswer() throws Exception {
        // Given: Streams stays RUNNING through a broker outage
        final java.util.concurrent.atomic.AtomicBoolean brokers = new java.util.concurrent.atomic.AtomicBoolean();
        server.readiness(() -> KafkaStreams.State.RUNNING, brokers::get);

        // When
        final HttpResponse<String> outage = get("/health/ready", null);
        brokers.set(true);
        final HttpResponse<String> back = get("/health/ready", null);

        // Then
        assertThat(outage.statusCode()).isEqualTo(503);
        assertThat(outage.body())
            .isEqualTo("{\"status\":\"DOWN\",\"state\":\"RUNNING\",\"brokers\":\"unreachable\"}");
        assertThat(back.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldServeMountedHandlerWhenAppAddsOne() throws Exception {
        // Given
        server.mount("/features/", exchange -> {
            final byte[] body = exchange.getRequestURI().getPath().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });

        // When
        final HttpResponse<String> response = get("/features/card-1", null);

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("/features/card-1");
        assertThat(get("/nothing", null).statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> server.mount("/health/x", exchange -> { }))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNameThePortWhenItIsInUse() {
        assertThatThrownBy(() -> MetricsServer.start("127.0.0.1", server.port(), metrics.registry()))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessage("metrics port " + server.port() + " on 127.0.0.1 is already in use (config key metrics.port)");
    }
}
