package io.driftguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.embedded.EmbeddedStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DevStackCommandTest {

    private static final List<String> TOPICS = List.of("events", "labels", "features", "predictions",
        "predictions-shadow", "alerts", "model-control", "dead-letters");

    @TempDir
    Path dataDir;

    @Test
    void shouldCreateTopicsAndRegisterSchemasWhenStartedOnEphemeralPorts() throws Exception {
        // Given
        final DevStackCommand command = new DevStackCommand();
        final CommandLine commandLine = new CommandLine(command);
        final StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        final long started = System.nanoTime();

        // When
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(
            "--broker-port", "0", "--registry-port", "0", "--partitions", "3", "--data-dir", dataDir.toString()));
        final EmbeddedStack stack = command.awaitReady(Duration.ofSeconds(60));

        // Then
        assertThat(stack).as("dev-stack came up; output so far: %s", out).isNotNull();
        // the 15 s start-up target holds on an idle machine (broker 2-4 s); the bound here leaves room for a loaded CI box
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(45));
        final HttpResponse<String> subjects = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + "/subjects")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(subjects.body()).contains(TOPICS.stream().map(t -> "\"" + t + "-value\"").toArray(String[]::new));
        try (Admin admin = stack.admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(TOPICS);
            final Map<ConfigResource, Config> configs = admin.describeConfigs(TOPICS.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get(30, TimeUnit.SECONDS);
            final Map<String, String> policies = configs.entrySet().stream().collect(Collectors.toMap(
                e -> e.getKey().name(), e -> e.getValue().get("cleanup.policy").value()));
            assertThat(policies).containsEntry("features", "compact").containsEntry("model-control", "compact")
                .containsEntry("events", "delete").containsEntry("dead-letters", "delete");
            assertThat(admin.describeTopics(Set.of("events")).allTopicNames().get().get("events").partitions())
                .hasSize(3);
        }
        assertThat(out.toString()).contains("Kafka bootstrap servers: " + stack.bootstrapServers(),
            "Schema registry:         " + stack.schemaRegistryUrl(), "model-control", "events-value");

        // When
        command.stop();

        // Then
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(Files.list(dataDir)).isNotEmpty();
    }
}
