package io.driftguard.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.driftguard.avro.Arm;
import io.driftguard.avro.Decision;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.UsedFeature;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.model.Dataset;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.model.train.TrainOptions;
import io.driftguard.model.train.Trainer;
import io.driftguard.model.train.TrainingConfig;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.ConfigException;
import io.driftguard.platform.config.LoadedConfig;
import io.driftguard.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift-monitor app on the real embedded broker and registry: a real trained model version in a registry
 * directory, predictions for it on {@code predictions}, health, metrics and {@code POST /rollback}.
 */
@ExtendWith(KafkaStackExtension.class)
class DriftAppTest {

    private static final String PREFIX = "drift-app-it-";
    private static final String PREDICTIONS = PREFIX + "predictions";
    private static final String LABELS = PREFIX + "labels";
    private static final String ALERTS = PREFIX + "alerts";
    private static final String CONTROL = PREFIX + "model-control";
    private static final String DEAD_LETTERS = PREFIX + "dead-letters";
    private static final String TOKEN = "drift-app-test-token-0123456789";
    private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
    private static final List<String> FEATURES = List.of("amount", "velocity");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static KafkaStackInfo stack;

    @TempDir
    Path dir;

    /** A small real XGBoost model, trained by the model module's Trainer and registered as {@code fraud/v1}. */
    private static ArtifactBundle trainAndRegister(final Path root) throws IOException {
        final SplittableRandom random = new SplittableRandom(5);
        final int n = 1200;
        final double[][] rows = new double[n][];
        final int[] labels = new int[n];
        final long[] times = new long[n];
        final String[] channel = new String[n];
        for (int i = 0; i < n; i++) {
            final double amount = Math.exp(3 + random.nextGaussian());
            final double velocity = random.nextInt(0, 8);
            final double z = -3.0 + 0.02 * amount + 0.5 * velocity;
            labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
            rows[i] = new double[] {amount, velocity};
            times[i] = T0.minus(Duration.ofDays(30)).toEpochMilli() + i * 60_000L;
            channel[i] = i % 3 == 0 ? "ONLINE" : "POS";
        }
        final Dataset data = Dataset.of(FEATURES, rows, labels, times).withSlices(Map.of("channel", channel));
        final TrainingConfig config = TrainingConfig.parse("""
                modelName: fraud
                xgboost: {maxDepth: 2, eta: 0.3, rounds: 10, seed: 7, nthread: 1}
                split: {validationFraction: 0.25, testFraction: 0.25}
                calibration: platt
                missingPolicy: {defaultPolicy: IMPUTE}
                gates: [auc min 0.5]
                compact:
                  goal: Catch card fraud before authorisation completes
                  whoCares: fraud operations
                  decisionOwner: head of fraud
                  successMetric: recall at the budgeted precision
                  guardrailMetrics: [fpr]
                  mistakeBudget: "precision >= 0.3"
                  unacceptableMistakes: blocking many good customers
                  acceptableMistakes: some small frauds missed
                  assumptions: [labels arrive within 30 days]
                  labelSource: chargebacks
                  labelDelay: 7d
                  evalSlices: [channel]
                  knownRisks: [new merchants]
                  rollbackPlan: roll back to the previous champion via the registry
                """);
        final ArtifactBundle bundle = Trainer.train(config, data, root.resolveSibling("bundle-v1"),
                new TrainOptions("v1", T0, "abc123")).bundle();
        return new ModelRegistry(root, Clock.systemUTC()).register(bundle, "test", "drift app test");
    }

    private LoadedConfig config(final Path registryDir, final Path tokenFile) {
        final Map<String, String> env = new HashMap<>();
        env.put("DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("DRIFTGUARD_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("DRIFTGUARD_STREAMS_STATE_DIR", dir.resolve("state").toString());
        return DriftApp.configLoader(env).loadYaml("""
                applicationId: drift-app-it
                instanceId: it-1
                streams: {commitInterval: 200ms, shutdownTimeout: 20s}
                topics: {predictions: %s, labels: %s, alerts: %s, modelControl: %s, deadLetters: %s}
                metrics: {host: 127.0.0.1, port: 0}
                drift:
                  registryDir: %s
                  windowSize: 1m
                  grace: 0s
                  raiseAfter: 1
                  rollbackPolicyFile: %s
                  rollbackTokenFile: %s
                """.formatted(PREDICTIONS, LABELS, ALERTS, CONTROL, DEAD_LETTERS, registryDir,
                Path.of("..", "config", "rollback-policy.yaml").toAbsolutePath().normalize(), tokenFile), "test");
    }

    private static Prediction prediction(final ArtifactBundle model, final int i, final Instant at,
            final SplittableRandom random) {
        final double amount = Math.exp(3 + random.nextGaussian());
        final double velocity = random.nextInt(0, 8);
        final double score = 1 / (1 + Math.exp(-(-3.0 + 0.02 * amount + 0.5 * velocity)));
        final List<UsedFeature> features = new ArrayList<>();
        features.add(UsedFeature.newBuilder().setName("amount").setValue(amount).setAsOf(at).setAgeMs(0L).build());
        features.add(UsedFeature.newBuilder().setName("velocity").setValue(velocity).setAsOf(at).setAgeMs(0L)
                .build());
        return Prediction.newBuilder()
                .setEventId("evt-" + i)
                .setEntityId("card-" + (i % 40))
                .setEventTime(at)
                .setScoredAt(at)
                .setModelName(model.manifest().name())
                .setModelVersion(model.manifest().version())
                .setArtifactSha256(model.artifactSha256())
                .setArm(Arm.CHAMPION)
                .setScore(score)
                .setConfidence(Math.max(score, 1 - score))
                .setDecision(score >= 0.5 ? Decision.POSITIVE : Decision.NEGATIVE)
                .setThreshold(0.5)
                .setFeatures(features)
                .setScoringLatencyMicros(150L)
                .build();
    }

    private static HttpResponse<String> get(final int port, final String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldGetReadyExportDriftMetricsAndWriteARollbackWhenRunAgainstARealBroker() throws Exception {
        // Given: a trained, registered model; its predictions over two 1-minute windows; the token in a file
        stack.createTopics(1, PREDICTIONS, LABELS, ALERTS, CONTROL, DEAD_LETTERS);
        final Path registryDir = dir.resolve("models");
        final ArtifactBundle model = trainAndRegister(registryDir);
        final Path tokenFile = Files.writeString(dir.resolve("rollback-token"), TOKEN + "\n");
        final SplittableRandom random = new SplittableRandom(9);
        final List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            predictions.add(prediction(model, i, T0.plusMillis(i * 150L), random));
        }
        // past the first window's end (grace 0): closes it
        predictions.add(prediction(model, 400, T0.plus(Duration.ofMinutes(3)), random));

        try (StreamsApp app = DriftApp.create(config(registryDir, tokenFile))) {
            final int port = app.server().port();

            // When: the app starts
            app.start();

            // Then: it turns ready
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(port, "/health/ready").statusCode() == 200);

            // When: predictions arrive
            final Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            try (KafkaProducer<String, Prediction> producer = new KafkaProducer<>(props, new StringSerializer(),
                    AvroSerdes.specific(Prediction.class, stack.registryClient(), false).serializer())) {
                for (final Prediction p : predictions) {
                    producer.send(new ProducerRecord<>(PREDICTIONS, p.getEntityId(), p));
                }
                producer.flush();

                // Then: the closed window's statistics of v1 are exported on /metrics. Streams checks for closed
                // windows at most once a second of wall-clock time (emit.interval.ms), on a record: a live stream
                // keeps sending them, here each poll sends one more, later prediction.
                final int[] next = {predictions.size()};
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    final Prediction tick = prediction(model, next[0]++, T0.plus(Duration.ofMinutes(3))
                            .plusMillis(next[0]), random);
                    producer.send(new ProducerRecord<>(PREDICTIONS, tick.getEntityId(), tick));
                    producer.flush();
                    assertThat(get(port, "/metrics").body())
                            .containsPattern("driftguard_drift_statistic\\{[^}]*feature=\"amount\"[^}]*"
                                    + "model_version=\"v1\"[^}]*statistic=\"psi\"")
                            .containsPattern("driftguard_drift_window_predictions\\{[^}]*model_version=\"v1\"");
                });
            }

            // When: a rollback is requested with the token from the file
            final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/rollback"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"fraud\",\"reason\":\"app test\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            // Then: 202, and the ModelCommand is on model-control
            assertThat(response.statusCode()).isEqualTo(202);
            final List<ModelCommand> commands = readCommands();
            assertThat(commands).anySatisfy(c -> {
                assertThat(c.getModelName()).isEqualTo("fraud");
                assertThat(c.getAction()).isEqualTo(ModelAction.ROLLBACK);
                assertThat(c.getReason()).isEqualTo("app test");
                assertThat(response.body()).contains(c.getCommandId());
            });
            assertThat(get(port, "/metrics").body()).doesNotContain(TOKEN);
        }
    }

    @Test
    void shouldRefuseToStartNamingTheKeyWhenTheTokenFileIsMissing() {
        // Given
        final LoadedConfig loaded = config(dir.resolve("models"), dir.resolve("no-such-token"));

        // When / Then
        assertThatThrownBy(() -> DriftApp.create(loaded))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rollbackTokenFile");
    }

    @Test
    void shouldRefuseAShortTokenWithoutPrintingItWhenTheTokenFileHoldsOne() throws IOException {
        // Given
        final Path tokenFile = Files.writeString(dir.resolve("short"), "tiny-secret", StandardCharsets.UTF_8);
        final LoadedConfig loaded = config(dir.resolve("models"), tokenFile);

        // When / Then
        assertThatThrownBy(() -> DriftApp.create(loaded))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rollbackTokenFile")
                .hasMessageNotContaining("tiny-secret");
    }

    private static List<ModelCommand> readCommands() {
        final Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "drift-app-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<ModelCommand> values = new ArrayList<>();
        try (KafkaConsumer<String, ModelCommand> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                AvroSerdes.specific(ModelCommand.class, stack.registryClient(), false).deserializer())) {
            consumer.subscribe(List.of(CONTROL));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return !values.isEmpty();
            });
        }
        return values;
    }
}
