package io.driftguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftguard.avro.FeatureVector;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.platform.app.StreamsApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(KafkaStackExtension.class)
class RunCommandTest {

    static KafkaStackInfo stack;

    @TempDir
    Path dir;

    @Test
    void shouldExitTwoNamingTheKeyWhenConfigIsBad() throws Exception {
        // Given
        final Path typo = Files.writeString(dir.resolve("typo.yaml"), """
            applicationId: features-cli
            kafka: {bootstrapServers: localhost:1}
            schemaRegistry: {url: http://localhost:1}
            streams: {comitInterval: 1s}
            """);
        final Path badFeatures = Files.writeString(dir.resolve("features.yaml"), """
            applicationId: features-cli
            kafka: {bootstrapServers: localhost:1}
            schemaRegistry: {url: http://localhost:1}
            features: {featureSet: /no/such/features.yaml}
            """);

        // When
        final Cli.Run unknownKey = Cli.runWithEnv(Map.of(), "run", "feature-stream", "--config", typo.toString());
        final Cli.Run missingFile = Cli.runWithEnv(Map.of(), "run", "feature-stream", "--config",
            dir.resolve("none.yaml").toString());
        final Cli.Run badEnv = Cli.runWithEnv(Map.of("DRIFTGUARD_STREAMS_COMMIT_INTERVAL", "soon"), "run",
            "feature-stream", "--config", badFeatures.toString());
        final Cli.Run badFeatureSet = Cli.runWithEnv(Map.of(), "run", "feature-stream", "--config",
            badFeatures.toString());
        final Cli.Run noApp = Cli.run("run");

        // Then
        assertThat(unknownKey.exitCode()).as(unknownKey.toString()).isEqualTo(2);
        assertThat(unknownKey.err()).contains("streams.comitInterval");
        assertThat(missingFile.exitCode()).isEqualTo(2);
        assertThat(missingFile.err()).contains("none.yaml", "not found");
        assertThat(badEnv.exitCode()).isEqualTo(2);
        assertThat(badEnv.err()).contains("streams.commitInterval", "DRIFTGUARD_STREAMS_COMMIT_INTERVAL");
        assertThat(badFeatureSet.exitCode()).isEqualTo(2);
        assertThat(badFeatureSet.err()).contains("features.featureSet", "/no/such/features.yaml");
        assertThat(noApp.exitCode()).isEqualTo(2);
        assertThat(noApp.err()).contains("Missing app: one of feature-stream");
        assertThat(List.of(unknownKey, missingFile, badEnv, badFeatureSet))
            .allSatisfy(r -> assertThat(r.err()).doesNotContain("\tat "));
    }

    @Test
    void shouldExitTwoNamingTheKeyWhenDriftMonitorConfigIsBad() throws Exception {
        // Given: the shipped example with its rollback token file pointing nowhere, and one with a typo in the section
        final Path missingToken = Files.writeString(dir.resolve("drift.yaml"), """
            applicationId: drift-cli
            kafka: {bootstrapServers: localhost:1}
            schemaRegistry: {url: http://localhost:1}
            drift: {registryDir: %s, rollbackTokenFile: /no/such/token}
            """.formatted(dir));
        final Path typo = Files.writeString(dir.resolve("drift-typo.yaml"), """
            applicationId: drift-cli
            kafka: {bootstrapServers: localhost:1}
            schemaRegistry: {url: http://localhost:1}
            drift: {registryDir: %s, windwSize: 5m}
            """.formatted(dir));

        // When
        final Cli.Run token = Cli.runWithEnv(Map.of(), "run", "drift-monitor", "--config", missingToken.toString());
        final Cli.Run unknown = Cli.runWithEnv(Map.of(), "run", "drift-monitor", "--config", typo.toString());

        // Then
        assertThat(token.exitCode()).as(token.toString()).isEqualTo(2);
        assertThat(token.err()).contains("drift.rollbackTokenFile");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("drift.windwSize");
        assertThat(List.of(token, unknown)).allSatisfy(r -> assertThat(r.err()).doesNotContain("\tat "));
    }

    @Test
    void shouldComputeFeaturesUntilStoppedAndExitZeroWhenRunWithAGoodConfig() throws Exception {
        // Given
        final String events = "run-test-events";
        final String features = "run-test-features";
        final Path config = Files.writeString(dir.resolve("feature-stream.yaml"), """
            applicationId: run-test-features
            instanceId: test-1
            kafka: {bootstrapServers: %s}
            schemaRegistry: {url: %s}
            streams: {commitInterval: 200ms, shutdownTimeout: 20s, stateDir: %s}
            metrics: {host: 127.0.0.1, port: 0}
            topics: {events: %s, features: %s, labels: run-test-labels, predictions: run-test-predictions,
                     predictionsShadow: run-test-predictions-shadow, alerts: run-test-alerts,
                     modelControl: run-test-model-control, deadLetters: run-test-dead-letters, partitions: 2}
            """.formatted(stack.bootstrapServers(), stack.schemaRegistryUrl(), dir.resolve("state"), events,
            features));
        final CommandLine commandLine = Driftguard.commandLine();
        final java.io.StringWriter out = new java.io.StringWriter();
        commandLine.setOut(new java.io.PrintWriter(out, true));
        final CommandLine app = commandLine.getSubcommands().get("run").getSubcommands().get("feature-stream");
        final AppCommand command = (AppCommand) app.getCommand();
        command.env = Map.of("DRIFTGUARD_INSTANCE_ID", "from-env");

        // When
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(
            "run", "feature-stream", "--config", config.toString()));
        final StreamsApp running = command.awaitStarted(Duration.ofSeconds(60));
        assertThat(running).as("started; output: %s; exit: %s", out, exit.isDone() ? exit.join() : "-").isNotNull();
        await().atMost(Duration.ofSeconds(60)).until(() -> running.streams().state() == KafkaStreams.State.RUNNING);
        final Set<String> eventIds = LiveTopics.publishTransactions(stack, events, 50);
        final HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + running.server().port() + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        final Set<String> vectorsFor = new HashSet<>();
        LiveTopics.readCommitted(stack, features, FeatureVector.class, eventIds.size(), Duration.ofSeconds(60))
            .forEach(v -> vectorsFor.add(v.getEventId()));
        command.stop();

        // Then
        assertThat(exit.get(60, TimeUnit.SECONDS)).as(out.toString()).isZero();
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(vectorsFor).isEqualTo(eventIds);
        assertThat(out.toString()).contains("feature-stream started (application.id run-test-features)",
            "metrics and health on port " + running.server().port(), "Stopping feature-stream...",
            "feature-stream stopped.");
        assertThat(running.streams().state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    }
}
