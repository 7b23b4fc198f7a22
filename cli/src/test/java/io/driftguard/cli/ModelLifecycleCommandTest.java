package io.driftguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.model.registry.HistoryEntry;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * train -> models -> promote -> rollback -> evaluate through the CLI on one registry, with the model-control
 * commands read back from a real broker. The steps build on each other, hence the order.
 */
@ExtendWith(KafkaStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelLifecycleCommandTest {

    private static final String CONTROL = "lifecycle-test-model-control";
    private static final Map<String, String> ENV = Map.of("DRIFTGUARD_TOPICS_MODEL_CONTROL", CONTROL);

    static KafkaStackInfo stack;

    @TempDir
    static Path dir;

    static Path config;
    static Path strictConfig;
    static Path registry;
    static Cli.Run trainV1;

    @BeforeAll
    static void trainChampion() throws IOException {
        final String yaml;
        try (InputStream in = ModelLifecycleCommandTest.class.getResourceAsStream("/training/small-fraud.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        config = Files.writeString(dir.resolve("small-fraud.yaml"), yaml);
        strictConfig = Files.writeString(dir.resolve("strict-fraud.yaml"),
            yaml.replace("  - auc min 0.7\n", "  - auc min 0.999\n"));
        registry = dir.resolve("registry");
        stack.createTopics(1, CONTROL);
        // history written by 'generate', read back by 'train --data'
        final Cli.Run generated = Cli.run("generate", "--format", "avro", "--cards", "250", "--duration", "12d",
            "--out", dir.resolve("history").toString());
        assertThat(generated.exitCode()).as(generated.toString()).isZero();
        trainV1 = Cli.run("train", "--config", config.toString(), "--data", dir.resolve("history").toString(),
            "--registry", registry.toString(), "--version", "v1", "--out", dir.resolve("run-v1").toString(),
            "--promote", "--who", "alice");
    }

    @Test
    @Order(1)
    void shouldPrintProgressGatesAndReportWhenTrainPromotes() throws IOException {
        // Given: v1 trained from generated files (see trainChampion)

        // Then
        assertThat(trainV1.exitCode()).as(trainV1.toString()).isZero();
        assertThat(trainV1.out()).contains("[load] loading Avro files", "[training-set]", "[train]", "[gates] all "
            + "gates passed", "PASS", "auc min 0.7", "[promote] promoted fraud v1 to champion",
            "Model fraud v1: gates passed; promoted to champion.",
            "Report:  " + dir.resolve("run-v1").resolve("report").resolve("report.html"));
        assertThat(dir.resolve("run-v1").resolve("report").resolve("report.html")).isRegularFile();
        assertThat(new ModelRegistry(registry, Clock.systemUTC()).aliases("fraud").champion()).isEqualTo("v1");
    }

    @Test
    @Order(2)
    void shouldExitOneAndKeepTheChampionWhenTrainPromoteFailsAGate() throws IOException {
        // When
        final Cli.Run run = Cli.run("train", "--config", strictConfig.toString(), "--registry", registry.toString(),
            "--version", "v2", "--out", dir.resolve("run-v2").toString(), "--promote");

        // Then
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("gates FAILED; registered, not promoted.");
        assertThat(run.err()).contains("driftguard: fraud v2 not promoted: 1 gate(s) failed",
            "FAILED auc min 0.999: value 0.");
        final ModelRegistry models = new ModelRegistry(registry, Clock.systemUTC());
        assertThat(models.aliases("fraud").champion()).isEqualTo("v1");
        assertThat(models.versions("fraud")).containsExactly("v1", "v2");
    }

    @Test
    @Order(3)
    void shouldRefuseAndPrintEveryFailedGateWhenPromotingAFailingVersion() throws IOException {
        // When: v2 declared 'auc min 0.999' before training
        final Cli.Run run = Cli.runWithEnv(ENV, "promote", "--registry", registry.toString(), "--model", "fraud",
            "--version", "v2", "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry",
            stack.schemaRegistryUrl());

        // Then
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("Measuring scoring latency", "Gates (against champion v1)", "FAILED: 1 of 3");
        assertThat(run.err()).contains("driftguard: promotion of fraud v2 refused: 1 of 3 gates failed",
            "FAILED auc min 0.999: value 0.", "threshold 0.999000");
        assertThat(new ModelRegistry(registry, Clock.systemUTC()).aliases("fraud").champion()).isEqualTo("v1");
        assertThat(readControl()).isEmpty();
    }

    @Test
    @Order(4)
    void shouldPromoteAndPublishWhenGatesPass() throws IOException {
        // Given
        final Cli.Run trained = Cli.run("train", "--config", config.toString(), "--registry", registry.toString(),
            "--version", "v3", "--out", dir.resolve("run-v3").toString());
        assertThat(trained.exitCode()).as(trained.toString()).isZero();

        // When
        final Cli.Run run = Cli.runWithEnv(ENV, "promote", "--registry", registry.toString(), "--model", "fraud",
            "--version", "v3", "--who", "bob", "--why", "better on recent data", "--bootstrap-servers",
            stack.bootstrapServers(), "--schema-registry", stack.schemaRegistryUrl());

        // Then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("PASSED", "Promoted fraud v3 to champion (previous: v1).",
            "Published PROMOTE fraud v3 to " + CONTROL);
        assertThat(new ModelRegistry(registry, Clock.systemUTC()).aliases("fraud").champion()).isEqualTo("v3");
        final List<ConsumerRecord<String, ModelCommand>> control = readControl();
        assertThat(control).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("fraud");
            assertThat(r.value().getAction()).isEqualTo(ModelAction.PROMOTE);
            assertThat(r.value().getVersion()).isEqualTo("v3");
            assertThat(r.value().getIssuedBy()).isEqualTo("bob");
            assertThat(r.value().getReason()).isEqualTo("better on recent data");
        });
    }

    @Test
    @Order(5)
    void shouldListAndShowVersionsAliasesMetricsAndHistory() {
        // When
        final Cli.Run list = Cli.run("models", "list", "--registry", registry.toString());
        final Cli.Run show = Cli.run("models", "show", "--registry", registry.toString(), "--model", "fraud");
        final Cli.Run version = Cli.run("models", "show", "--registry", registry.toString(), "--model", "fraud",
            "--version", "v3");

        // Then
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("fraud  (champion: v3, challenger: -, previous: v1)");
        assertThat(list.out().lines().filter(l -> l.matches("\\s+v[123]\\s.*")).toList()).hasSize(3);
        assertThat(list.out()).containsPattern("v3\\s+\\S+\\s+0\\.\\d{4}\\s+0\\.\\d{4}\\s+0\\.\\d{4}\\s+[0-9a-f]{12}"
            + "\\s+champion");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("champion:   v3", "previous:   v1", "versions:   v1, v2, v3",
            "REGISTER", "PROMOTE        v1", "by alice", "PROMOTE        v3         (from v1) by bob: better on "
                + "recent data");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).contains("Model fraud v3 (champion)", "artifact sha256:", "feature set hash:",
            "auc ", "gates:", "auc min 0.7", "slice metrics:", "channel=ONLINE");
    }

    @Test
    @Order(6)
    void shouldExitTwoNamingTheInputWhenRegistryModelOrVersionIsUnknown() {
        // When
        final Cli.Run noRegistry = Cli.run("models", "list", "--registry", dir.resolve("nope").toString());
        final Cli.Run noModel = Cli.run("models", "show", "--registry", registry.toString(), "--model", "churn");
        final Cli.Run noVersion = Cli.run("promote", "--registry", registry.toString(), "--model", "fraud",
            "--version", "v9");
        final Cli.Run halfCluster = Cli.run("promote", "--registry", registry.toString(), "--model", "fraud",
            "--version", "v3", "--bootstrap-servers", stack.bootstrapServers());
        final Cli.Run badConfig = Cli.run("train", "--config", dir.resolve("missing.yaml").toString(),
            "--registry", registry.toString(), "--version", "v4", "--out", dir.resolve("run-v4").toString());

        // Then
        assertThat(noRegistry.exitCode()).isEqualTo(2);
        assertThat(noRegistry.err()).startsWith("driftguard: --registry: no model registry directory at ");
        assertThat(noModel.exitCode()).isEqualTo(2);
        assertThat(noModel.err()).startsWith("driftguard: --model: no model 'churn' in registry")
            .contains("(models: fraud)");
        assertThat(noVersion.exitCode()).isEqualTo(2);
        assertThat(noVersion.err()).contains("--version: model 'fraud' has no registered version 'v9' "
            + "(versions: v1, v2, v3)");
        assertThat(halfCluster.exitCode()).isEqualTo(2);
        assertThat(halfCluster.err()).contains("--schema-registry is required with --bootstrap-servers");
        assertThat(badConfig.exitCode()).isEqualTo(2);
        assertThat(badConfig.err()).contains("--config: training config file not found");
        assertThat(List.of(noRegistry, noModel, noVersion, halfCluster, badConfig))
            .allSatisfy(r -> assertThat(r.err()).doesNotContain("\tat "));
    }

    @Test
    @Order(7)
    void shouldWriteAnEvaluationReportAgainstTheChampionWhenEvaluatingAVersion() {
        // When
        final Cli.Run run = Cli.run("evaluate", "--registry", registry.toString(), "--model", "fraud", "--version",
            "v1", "--config", config.toString(), "--out", dir.resolve("eval-v1").toString());

        // Then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Scoring ", "held-out rows", "fraud v1: roc_auc 0.", "champion v3 roc_auc 0.");
        assertThat(dir.resolve("eval-v1").resolve("report.html")).isRegularFile();
        assertThat(dir.resolve("eval-v1").resolve("report.md")).content(StandardCharsets.UTF_8)
            .contains("fraud v1", "champion v3", "no-skill reference");
    }

    @Test
    @Order(8)
    void shouldRollBackToThePreviousChampionAndPublishWithoutRetraining() throws IOException {
        // When
        final Cli.Run run = Cli.runWithEnv(ENV, "rollback", "--registry", registry.toString(), "--model", "fraud",
            "--why", "drift on amount", "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry",
            stack.schemaRegistryUrl());
        final Cli.Run again = Cli.run("rollback", "--registry", registry.toString(), "--model", "fraud");

        // Then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Rolled fraud back from v3 to v1", "Published ROLLBACK fraud to " + CONTROL);
        final ModelRegistry models = new ModelRegistry(registry, Clock.systemUTC());
        assertThat(models.aliases("fraud").champion()).isEqualTo("v1");
        assertThat(models.versions("fraud")).containsExactly("v1", "v2", "v3");
        assertThat(models.history("fraud")).extracting(HistoryEntry::action, HistoryEntry::version)
            .filteredOn(t -> t.toList().get(0) != HistoryEntry.Action.REGISTER)
            .extracting(t -> t.toList().get(0) + " " + t.toList().get(1))
            .containsExactly("PROMOTE v1", "PROMOTE v3", "ROLLBACK v1");
        assertThat(readControl()).extracting(r -> r.value().getAction())
            .containsExactly(ModelAction.PROMOTE, ModelAction.ROLLBACK);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).startsWith("driftguard: model fraud has no previous known-good version");
    }

    private static List<ConsumerRecord<String, ModelCommand>> readControl() {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        final List<ConsumerRecord<String, ModelCommand>> out = new ArrayList<>();
        try (KafkaConsumer<String, ModelCommand> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
            AvroSerdes.specific(ModelCommand.class, stack.registryClient(), false).deserializer())) {
            final var partition = new org.apache.kafka.common.TopicPartition(CONTROL, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition)).get(partition);
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
