package io.driftguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftguard.avro.Prediction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.platform.app.StreamsApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run scoring-stream} with a model trained through the CLI, on the embedded broker. */
@ExtendWith(KafkaStackExtension.class)
class RunScoringStreamTest {

    static KafkaStackInfo stack;

    @TempDir
    static Path dir;

    static Path registry;

    /**
     * Declared in every config: scoring-stream's {@code FallbackRule} has primitive score and threshold, and the
     * config binder binds an absent nested section as empty, so {@code scoring.fallbackRule} is in practice required.
     */
    private static final String RULE = "{name: allow, score: 0.0, threshold: 0.5}";

    @BeforeAll
    static void trainChampion() throws IOException {
        final String yaml;
        try (InputStream in = RunScoringStreamTest.class.getResourceAsStream("/training/small-fraud.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final Path config = Files.writeString(dir.resolve("small-fraud.yaml"), yaml);
        registry = dir.resolve("registry");
        final Cli.Run trained = Cli.run("train", "--config", config.toString(), "--registry", registry.toString(),
            "--version", "v1", "--out", dir.resolve("run-v1").toString(), "--promote", "--who", "test");
        assertThat(trained.exitCode()).as(trained.toString()).isZero();
    }

    private static String common(final String prefix) {
        return """
            applicationId: %1$s
            instanceId: test-1
            kafka: {bootstrapServers: %2$s}
            schemaRegistry: {url: %3$s}
            streams: {commitInterval: 200ms, shutdownTimeout: 20s, stateDir: %4$s}
            metrics: {host: 127.0.0.1, port: 0}
            topics: {events: %1$s-events, features: %1$s-features, labels: %1$s-labels,
                     predictions: %1$s-predictions, predictionsShadow: %1$s-predictions-shadow,
                     alerts: %1$s-alerts, modelControl: %1$s-model-control, deadLetters: %1$s-dead-letters,
                     partitions: 2}
            """.formatted(prefix, stack.bootstrapServers(), stack.schemaRegistryUrl(), dir.resolve("state-" + prefix));
    }

    @Test
    void shouldExitTwoNamingTheKeyWhenScoringConfigIsBad() throws IOException {
        // Given
        final Path noModel = Files.writeString(dir.resolve("no-model.yaml"), common("bad-1") + """
            scoring: {registryDir: %s, fallbackRule: %s}
            """.formatted(registry, RULE));
        final Path noRegistry = Files.writeString(dir.resolve("no-registry.yaml"), common("bad-2") + """
            scoring: {modelName: fraud, registryDir: %s, fallbackRule: %s}
            """.formatted(dir.resolve("nowhere"), RULE));
        final Path unknownModel = Files.writeString(dir.resolve("unknown-model.yaml"), common("bad-3") + """
            scoring: {modelName: churn, registryDir: %s, fallbackRule: %s}
            """.formatted(registry, RULE));
        final Path featureKey = Files.writeString(dir.resolve("feature-key.yaml"), common("bad-4") + """
            scoring: {modelName: fraud, registryDir: %s, fallbackRule: %s}
            features: {featureSet: classpath:features/transactions.yaml, slaCheckInterval: 30s}
            """.formatted(registry, RULE));

        // When
        final Cli.Run missing = Cli.runWithEnv(Map.of(), "run", "scoring-stream", "--config", noModel.toString());
        final Cli.Run badEnv = Cli.runWithEnv(Map.of("DRIFTGUARD_SCORING_MODEL_TIMEOUT", "soon"), "run",
            "scoring-stream", "--config", unknownModel.toString());
        final Cli.Run negative = Cli.runWithEnv(Map.of("DRIFTGUARD_SCORING_BREAKER_FAILURES", "0"), "run",
            "scoring-stream", "--config", unknownModel.toString());
        final Cli.Run registryGone = Cli.runWithEnv(Map.of(), "run", "scoring-stream", "--config",
            noRegistry.toString());
        final Cli.Run notRegistered = Cli.runWithEnv(Map.of(), "run", "scoring-stream", "--config",
            unknownModel.toString());
        final Cli.Run unknownKey = Cli.runWithEnv(Map.of(), "run", "scoring-stream", "--config",
            featureKey.toString());

        // Then
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.err()).contains("scoring.modelName must not be blank");
        assertThat(badEnv.exitCode()).as(badEnv.toString()).isEqualTo(2);
        assertThat(badEnv.err()).contains("scoring.modelTimeout", "DRIFTGUARD_SCORING_MODEL_TIMEOUT");
        assertThat(negative.exitCode()).as(negative.toString()).isEqualTo(2);
        assertThat(negative.err()).contains("scoring.breakerFailures must be >= 1, was 0");
        assertThat(registryGone.exitCode()).as(registryGone.toString()).isEqualTo(2);
        assertThat(registryGone.err()).contains("config key 'scoring.registryDir'", "nowhere");
        assertThat(notRegistered.exitCode()).as(notRegistered.toString()).isEqualTo(2);
        assertThat(notRegistered.err()).contains("config key 'scoring.modelName'", "'churn'", "[fraud]");
        assertThat(unknownKey.exitCode()).as(unknownKey.toString()).isEqualTo(2);
        assertThat(unknownKey.err()).contains("features.slaCheckInterval", "unknown key");
        assertThat(List.of(missing, badEnv, negative, registryGone, notRegistered, unknownKey))
            .allSatisfy(r -> assertThat(r.err()).doesNotContain("\tat ").contains("Run 'driftguard run "
                + "scoring-stream --help' for usage."));
    }

    @Test
    void shouldScoreEventsIntoPredictionsUntilStoppedAndExitZeroWhenRunWithAGoodConfig() throws Exception {
        // Given a model timeout far above the default 100 ms: on a loaded 2-core machine a first call can take
        // longer, and the rule would answer instead of v1
        final String prefix = "run-scoring";
        final Path config = Files.writeString(dir.resolve("scoring-stream.yaml"), common(prefix) + """
            scoring: {modelName: fraud, registryDir: %s, maxTaskIdle: 0ms, modelTimeout: 10s, fallbackRule: %s}
            features: {featureSet: classpath:features/transactions.yaml}
            """.formatted(registry, RULE));
        final CommandLine commandLine = Driftguard.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final AppCommand command = (AppCommand) commandLine.getSubcommands().get("run").getSubcommands()
            .get("scoring-stream").getCommand();
        command.env = Map.of();

        // When
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(
            "run", "scoring-stream", "--config", config.toString()));
        final StreamsApp running = command.awaitStarted(Duration.ofSeconds(90));
        assertThat(running).as("started; out: %s; err: %s; exit: %s", out, err, exit.isDone() ? exit.join() : "-")
            .isNotNull();
        await().atMost(Duration.ofSeconds(60)).until(() -> running.streams().state() == KafkaStreams.State.RUNNING);
        final Set<String> eventIds = LiveTopics.publishTransactions(stack, prefix + "-events", 40);
        final List<Prediction> predictions = LiveTopics.readCommitted(stack, prefix + "-predictions",
            Prediction.class, eventIds.size(), Duration.ofSeconds(90));
        final HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + running.server().port() + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        command.stop();

        // Then every event has one prediction by the champion the CLI trained
        assertThat(exit.get(60, TimeUnit.SECONDS)).as("out: %s; err: %s", out, err).isZero();
        assertThat(predictions).hasSize(eventIds.size());
        assertThat(predictions).extracting(Prediction::getEventId).containsExactlyInAnyOrderElementsOf(eventIds);
        assertThat(predictions).allSatisfy(p -> {
            assertThat(p.getModelName()).isEqualTo("fraud");
            assertThat(p.getModelVersion()).isEqualTo("v1");
            assertThat(p.getScore()).isBetween(0.0, 1.0);
        });
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(out.toString()).contains("scoring-stream started (application.id " + prefix + ")",
            "Stopping scoring-stream...", "scoring-stream stopped.");
        assertThat(running.streams().state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    }
}
