package io.driftguard.platform.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.Label;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.metrics.AppMetrics;
import io.driftguard.platform.metrics.PlatformMetrics;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaStackExtension.class)
class StreamsAppTest {

    private static final String IN = "streams-app-test-labels";
    private static final String OUT = "streams-app-test-out";
    private static final String DLQ = "streams-app-test-dead-letters";
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    static KafkaStackInfo stack;

    @TempDir
    Path stateDir;

    private final HttpClient http = HttpClient.newHttpClient();

    private DriftguardConfig config() {
        return ConfigLoader.withEnv(Map.of(
            "DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
            "DRIFTGUARD_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
            "DRIFTGUARD_STREAMS_STATE_DIR", stateDir.toString(),
            "DRIFTGUARD_TOPICS_DEAD_LETTERS", DLQ)).loadYaml("""
            applicationId: streams-app-test
            instanceId: test-1
            streams: {commitInterval: 100ms, shutdownTimeout: 20s}
            metrics: {host: 127.0.0.1, port: 0}
            """, "test").common();
    }

    private int status(final int port, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void shouldBeReadyWhileRunningAndDeadLetterBadRecordsUnderExactlyOnceWhenStartedOnRealBroker() throws Exception {
        // Given
        stack.createTopics(2, IN, OUT, DLQ);
        final DriftguardConfig config = config();
        final SchemaRegistryClient registry = SchemaRegistries.client(config.schemaRegistry());
        final Serde<Label> labels = AvroSerdes.specific(Label.class, registry, false);
        final AppMetrics metrics = AppMetrics.create(config.applicationId(), config.instanceId());
        final DeadLetters deadLetters = DeadLetters.create(config, registry, metrics);
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(IN, org.apache.kafka.streams.kstream.Consumed.with(Serdes.String(), labels).withName("in"))
            .to(OUT, org.apache.kafka.streams.kstream.Produced.with(Serdes.String(), labels).withName("out"));
        final byte[] good = labels.serializer().serialize(IN, Label.newBuilder().setEventId("e-1")
            .setEntityId("card-1").setLabel(1).setLabelTime(T0).build());

        try (StreamsApp app = StreamsApp.create(config, metrics, deadLetters, builder::build)) {
            final int port = app.server().port();
            assertThat(status(port, "/health/ready")).isEqualTo(503);

            // When
            app.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> status(port, "/health/ready") == 200);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", stack.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(IN, 0, "card-9".getBytes(), new byte[] {9, 9, 9}));
                producer.send(new ProducerRecord<>(IN, 0, "card-1".getBytes(), good));
            }

            // Then
            final List<ConsumerRecord<byte[], byte[]>> out = readCommitted(OUT, 1);
            final List<ConsumerRecord<byte[], byte[]>> dlq = readCommitted(DLQ, 1);
            assertThat(labels.deserializer().deserialize(OUT, out.get(0).value()).getEventId()).isEqualTo("e-1");
            final DeadLetter letter = AvroSerdes.specific(DeadLetter.class, registry, false).deserializer()
                .deserialize(DLQ, dlq.get(0).value());
            assertThat(letter.getReasonCode()).isEqualTo("WRONG_MAGIC_BYTE");
            assertThat(letter.getTopic()).isEqualTo(IN);
            assertThat(new String(dlq.get(0).key())).isEqualTo("card-9");
            assertThat(metrics.registry().get(PlatformMetrics.DEAD_LETTERS).counter().count()).isEqualTo(1.0);
            assertThat(metrics.registry().scrape()).contains("kafka_stream_");

            // When
            app.close();

            // Then
            assertThat(app.awaitTermination(Duration.ofSeconds(5))).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        }
    }

    @Test
    void shouldApplyExtraPropertiesAndLeaveTheGroupWhenClosed() throws Exception {
        // Given an app with an extra Streams property, running on a real topic
        stack.createTopics(1, "streams-app-test-leave-in");
        final DriftguardConfig config = config().withApplicationId("streams-app-test-leave");
        final AppMetrics metrics = AppMetrics.create(config.applicationId(), config.instanceId());
        final DeadLetters deadLetters = DeadLetters.create(config, SchemaRegistries.client(config.schemaRegistry()),
            metrics);
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream("streams-app-test-leave-in",
                org.apache.kafka.streams.kstream.Consumed.with(Serdes.String(), Serdes.String()).withName("in"))
            .to(OUT, org.apache.kafka.streams.kstream.Produced.with(Serdes.String(), Serdes.String()).withName("out"));
        final List<Object> seen = new ArrayList<>();
        final Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(adminProps)) {
            try (StreamsApp app = StreamsApp.create(config, metrics, deadLetters,
                Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 123L), props -> {
                    seen.add(props.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
                    return builder.build(props);
                })) {
                app.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> app.streams().state() == KafkaStreams.State.RUNNING
                    && members(admin, config.applicationId()) == 1);

                // When it is closed
                app.close();
            }

            // Then the topology saw the extra property, and the group is empty at once, not after the session timeout
            assertThat(seen).containsExactly(123L);
            assertThat(members(admin, config.applicationId())).isZero();
        }
    }

    private static int members(final Admin admin, final String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members().size();
    }

    @Test
    void shouldEndInErrorAndNeverBeReadyWhenSourceTopicIsMissing() throws Exception {
        // Given
        final DriftguardConfig config = config().withApplicationId("streams-app-test-missing");
        final AppMetrics metrics = AppMetrics.create(config.applicationId(), config.instanceId());
        final DeadLetters deadLetters = DeadLetters.create(config, SchemaRegistries.client(config.schemaRegistry()),
            metrics);
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream("streams-app-test-no-such-topic",
                org.apache.kafka.streams.kstream.Consumed.with(Serdes.String(), Serdes.String()).withName("in"))
            .to(OUT, org.apache.kafka.streams.kstream.Produced.with(Serdes.String(), Serdes.String()).withName("out"));

        try (StreamsApp app = StreamsApp.create(config, metrics, deadLetters, builder::build)) {
            // When
            app.start();
            final KafkaStreams.State end = app.awaitTermination(Duration.ofSeconds(90));

            // Then
            assertThat(end).isEqualTo(KafkaStreams.State.ERROR);
            assertThat(status(app.server().port(), "/health/ready")).isEqualTo(503);
            assertThat(status(app.server().port(), "/health")).isEqualTo(200);
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readCommitted(final String topic, final int expected) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        return records;
    }
}
