package io.driftguard.drift.topology;

import io.driftguard.avro.Alert;
import io.driftguard.avro.Arm;
import io.driftguard.avro.Decision;
import io.driftguard.avro.Label;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.UsedFeature;
import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.drift.metrics.DriftMetrics;
import io.driftguard.drift.policy.RollbackPolicy;
import io.driftguard.model.bundle.BundleWriter;
import io.driftguard.model.bundle.EngineInfo;
import io.driftguard.model.bundle.FeatureSpec;
import io.driftguard.model.bundle.Manifest;
import io.driftguard.model.bundle.MissingPolicy;
import io.driftguard.model.calibration.PlattCalibration;
import io.driftguard.model.profile.ProfileBuilder;
import io.driftguard.model.profile.ReferenceProfile;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.InMemorySchemaRegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A seeded world for the topology tests: model "fraud" version "1" registered in a real registry directory, with a
 * reference profile built by the model module's ProfileBuilder from a 20,000-row seeded sample, and a factory for
 * predictions from the same generator (optionally shifted).
 *
 * <p>Features: {@code amount} ~ N(100, 20), {@code velocity} ~ N(5, 2), {@code channel} in POS / ONLINE / ATM
 * (0.5 / 0.3 / 0.2). Score = sigmoid((amount - 100) / 20 - 1), so labels drawn as Bernoulli(score) are calibrated.
 */
final class DriftFixture implements AutoCloseable {

    static final String MODEL = "fraud";
    static final String VERSION = "1";
    static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    static final List<String> CHANNELS = List.of("POS", "ONLINE", "ATM");

    final ModelRegistry registry;
    final DriftMonitorConfig config;
    final DriftMetrics metrics = new DriftMetrics();
    final TopologyTestDriver driver;
    final TestInputTopic<String, Prediction> predictions;
    final TestInputTopic<String, Label> labels;
    final TestOutputTopic<String, Alert> alerts;
    final TestOutputTopic<String, ModelCommand> commands;
    private final String scope;

    DriftFixture(final Path dir, final DriftMonitorConfig config, final String policyYaml) throws IOException {
        this.registry = registerModel(dir.resolve("registry"));
        this.config = config;
        this.scope = "drift-" + System.nanoTime();
        final TopicSpecs specs = TopicSpecs.create(TopicSettings.defaults(),
                InMemorySchemaRegistryClient.forScope(scope));
        final ModelReferences references = new ModelReferences(registry, config.thresholds(), config.calibration(),
                Clock.fixed(T0, ZoneOffset.UTC));
        final Topology topology = DriftTopology.build(config, DriftTopology.Topics.of(specs), references,
                RollbackPolicy.fromYaml(policyYaml), metrics);
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "drift-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(topology, props, T0);
        predictions = driver.createInputTopic(specs.predictions().name(), specs.predictions().keySerde().serializer(),
                specs.predictions().valueSerde().serializer());
        labels = driver.createInputTopic(specs.labels().name(), specs.labels().keySerde().serializer(),
                specs.labels().valueSerde().serializer());
        alerts = driver.createOutputTopic(specs.alerts().name(), specs.alerts().keySerde().deserializer(),
                specs.alerts().valueSerde().deserializer());
        commands = driver.createOutputTopic(specs.modelControl().name(),
                specs.modelControl().keySerde().deserializer(), specs.modelControl().valueSerde().deserializer());
    }

    static final String NO_RULES = "rules: []\n";

    static ModelRegistry registerModel(final Path root) throws IOException {
        final SplittableRandom random = new SplittableRandom(20260302L);
        final int n = 20_000;
        final double[] amount = new double[n];
        final double[] velocity = new double[n];
        final String[] channel = new String[n];
        final double[] scores = new double[n];
        final int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            amount[i] = 100 + 20 * random.nextGaussian();
            velocity[i] = 5 + 2 * random.nextGaussian();
            channel[i] = CHANNELS.get(channelIndex(random.nextDouble()));
            scores[i] = score(amount[i]);
            labels[i] = random.nextDouble() < scores[i] ? 1 : 0;
        }
        final ReferenceProfile profile = new ReferenceProfile(
                List.of(ProfileBuilder.numeric("amount", amount, ProfileBuilder.DEFAULT_BINS),
                        ProfileBuilder.numeric("velocity", velocity, ProfileBuilder.DEFAULT_BINS)),
                List.of(ProfileBuilder.categorical("channel", channel)),
                ProfileBuilder.scores(scores, labels, ProfileBuilder.DEFAULT_BINS));
        final Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, MODEL, VERSION, T0, "abc123", "cfg", "data",
                "fs-hash",
                List.of(new FeatureSpec("amount", FeatureSpec.Type.NUMERIC, null, null, null, null,
                                MissingPolicy.IMPUTE),
                        new FeatureSpec("velocity", FeatureSpec.Type.NUMERIC, null, null, null, null,
                                MissingPolicy.IMPUTE),
                        new FeatureSpec("channel", FeatureSpec.Type.CATEGORICAL, null, null, null, CHANNELS,
                                MissingPolicy.IMPUTE)),
                MissingPolicy.IMPUTE, 0.5, "precision >= 0.5", new PlattCalibration(1.0, 0.0),
                new EngineInfo("XGBoost", "DJL", "0.35.0", EngineInfo.XGBOOST_VERSION, EngineInfo.MODEL_FILE),
                new Manifest.SplitInfo(0, 1, n, n, 0), Map.of(), Map.of(), List.of(), Map.of(), profile);
        final ModelRegistry registry = new ModelRegistry(root, Clock.fixed(T0, ZoneOffset.UTC));
        registry.register(BundleWriter.write(root.resolveSibling("bundle"), manifest,
                "{\"learner\":{}}".getBytes(StandardCharsets.UTF_8)), "test", "fixture");
        return registry;
    }

    static int channelIndex(final double u) {
        return u < 0.5 ? 0 : u < 0.8 ? 1 : 2;
    }

    static double score(final double amount) {
        return 1.0 / (1.0 + Math.exp(-((amount - 100) / 20 - 1)));
    }

    /** What to draw: an amount shift (in reference stds) and a velocity null probability. */
    record Draw(double amountShiftSigmas, double velocityNullRate) {
        static final Draw STATIONARY = new Draw(0, 0);
    }

    static Prediction prediction(final String eventId, final Instant eventTime, final SplittableRandom random,
            final Draw draw) {
        final double amount = 100 + 20 * (random.nextGaussian() + draw.amountShiftSigmas());
        final Double velocity = random.nextDouble() < draw.velocityNullRate() ? null
                : 5 + 2 * random.nextGaussian();
        final int channel = channelIndex(random.nextDouble());
        final double s = score(amount);
        final List<UsedFeature> features = new ArrayList<>();
        features.add(UsedFeature.newBuilder().setName("amount").setValue(amount).setAsOf(eventTime).setAgeMs(0L)
                .build());
        features.add(UsedFeature.newBuilder().setName("velocity").setValue(velocity).setAsOf(eventTime).setAgeMs(0L)
                .build());
        features.add(UsedFeature.newBuilder().setName("channel").setValue((double) channel).setAsOf(eventTime)
                .setAgeMs(0L).build());
        return Prediction.newBuilder()
                .setEventId(eventId)
                .setEntityId("card-" + (Math.abs(eventId.hashCode()) % 50))
                .setEventTime(eventTime)
                .setScoredAt(eventTime)
                .setModelName(MODEL)
                .setModelVersion(VERSION)
                .setArtifactSha256("sha")
                .setArm(Arm.CHAMPION)
                .setScore(s)
                .setConfidence(Math.max(s, 1 - s))
                .setDecision(s >= 0.5 ? Decision.POSITIVE : Decision.NEGATIVE)
                .setThreshold(0.5)
                .setFeatureSetHash("fs-hash")
                .setFeatures(features)
                .setScoringLatencyMicros(100L)
                .build();
    }

    static Label label(final Prediction p, final int outcome, final Instant labelTime) {
        return Label.newBuilder().setEventId(p.getEventId()).setEntityId(p.getEntityId()).setLabel(outcome)
                .setLabelTime(labelTime).setEventTime(p.getEventTime()).setSource("test").build();
    }

    void pipe(final Prediction p) {
        predictions.pipeInput(p.getEntityId(), p, p.getEventTime());
    }

    void pipe(final Label l) {
        labels.pipeInput(l.getEntityId(), l, l.getLabelTime());
    }

    long storeSize(final String name) {
        final KeyValueStore<String, Object> store = driver.getKeyValueStore(name);
        long count = 0;
        try (KeyValueIterator<String, Object> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                count++;
            }
        }
        return count;
    }

    long windowStoreSize() {
        long count = 0;
        try (var it = driver.getWindowStore(DriftTopology.WINDOW_STORE).all()) {
            while (it.hasNext()) {
                it.next();
                count++;
            }
        }
        return count;
    }

    /** Encoded bytes of every window aggregate the window store holds (what its changelog and RocksDB carry). */
    long windowStoreBytes() {
        long bytes = 0;
        try (var it = driver.<String, WindowAggregate>getWindowStore(DriftTopology.WINDOW_STORE).all()) {
            while (it.hasNext()) {
                bytes += it.next().value.toBytes().length;
            }
        }
        return bytes;
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistryClient.dropScope(scope);
    }
}
