package io.driftguard.platform.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.Label;
import io.driftguard.platform.app.StreamsProperties;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.metrics.PlatformMetrics;
import io.driftguard.schemas.registry.InMemorySchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterHandlersTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-28T10:05:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();
    private final Serde<Label> labelSerde = AvroSerdes.specific(Label.class, schemas, false);
    private final Deserializer<DeadLetter> deadLetterReader =
        AvroSerdes.specific(DeadLetter.class, schemas, false).deserializer();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<byte[], Label> output;
    private TestOutputTopic<byte[], byte[]> deadLetterTopic;

    Topology topology() {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream("labels", Consumed.with(Serdes.String(), labelSerde).withName("labels-source"))
            .mapValues(label -> {
                if (label.getLabel() > 1) {
                    throw new IllegalStateException("label out of range in test processor");
                }
                return label;
            }, Named.as("check-label"))
            .to("out", Produced.with(Serdes.String(), labelSerde).withName("out-sink"));
        return builder.build();
    }

    // at_least_once: under EOS, TopologyTestDriver 4.4.0 loses dead-letter records sent while a record is enqueued
    // (deserialized) before it is processed (its output capture clears the mock producer, uncommitted sends included).
    // The exactly-once path is covered against a real broker in StreamsAppTest.
    @BeforeEach
    void setUp() {
        final DriftguardConfig config = ConfigLoader.withEnv(Map.of()).loadYaml("""
            applicationId: dlq-test
            kafka: {bootstrapServers: "unused:9092"}
            schemaRegistry: {url: "http://unused:8081"}
            streams: {processingGuarantee: at_least_once}
            """, "test").common();
        final DeadLetters deadLetters = new DeadLetters("dlq-test", config.topics().deadLetters(),
            AvroSerdes.specific(DeadLetter.class, schemas, false).serializer(), PlatformMetrics.boundTo(registry),
            Clock.fixed(NOW, ZoneOffset.UTC));
        driver = new TopologyTestDriver(topology(), StreamsProperties.from(config, deadLetters), T0);
        input = driver.createInputTopic("labels", new StringSerializer(), new ByteArraySerializer());
        output = driver.createOutputTopic("out", new ByteArrayDeserializer(), labelSerde.deserializer());
        deadLetterTopic = driver.createOutputTopic("dead-letters", new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static Label label(final String eventId, final int value) {
        return Label.newBuilder().setEventId(eventId).setEntityId("card-1").setLabel(value)
            .setLabelTime(T0).build();
    }

    private DeadLetter readDeadLetter(final TestRecord<byte[], byte[]> record) {
        return deadLetterReader.deserialize("dead-letters", record.value());
    }

    @Test
    void shouldSendUndecodableRecordsToDeadLettersAndContinueWhenBytesAreBad() {
        // Given
        final byte[] good = labelSerde.serializer().serialize("labels", label("e-1", 1));
        final byte[] truncated = Arrays.copyOf(good, good.length - 3);
        final byte[] unknownId = good.clone();
        unknownId[4] = 99;

        // When
        input.pipeInput(new TestRecord<>("k-magic", new byte[] {1, 2, 3, 4, 5}, T0));
        input.pipeInput(new TestRecord<>("k-empty", new byte[0], T0.plusSeconds(1)));
        input.pipeInput(new TestRecord<>("k-trunc", truncated, T0.plusSeconds(2)));
        input.pipeInput(new TestRecord<>("k-id", unknownId, T0.plusSeconds(3)));
        input.pipeInput(new TestRecord<>("k-good", good, T0.plusSeconds(4)));

        // Then
        assertThat(output.readValuesToList()).containsExactly(label("e-1", 1));
        final List<DeadLetter> letters = deadLetterTopic.readRecordsToList().stream().map(this::readDeadLetter).toList();
        assertThat(letters).extracting(DeadLetter::getReasonCode)
            .containsExactly("WRONG_MAGIC_BYTE", "EMPTY_VALUE", "TRUNCATED", "UNKNOWN_SCHEMA_ID");
        final DeadLetter first = letters.get(0);
        assertThat(first.getApp()).isEqualTo("dlq-test");
        assertThat(first.getStage()).isEqualTo("deserialize");
        assertThat(first.getTopic()).isEqualTo("labels");
        assertThat(first.getPartition()).isZero();
        assertThat(first.getOffset()).isZero();
        assertThat(first.getRecordTimestamp()).isEqualTo(T0);
        assertThat(first.getOriginalKey()).isEqualTo(ByteBuffer.wrap("k-magic".getBytes()));
        assertThat(first.getOriginalValue()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
        assertThat(first.getFailedAt()).isEqualTo(NOW);
        assertThat(letters.get(3).getOffset()).isEqualTo(3);
        assertThat(registry.get(PlatformMetrics.DEAD_LETTERS).tag("stage", "deserialize")
            .tag("reason", "WRONG_MAGIC_BYTE").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(PlatformMetrics.DEAD_LETTERS).counters()).hasSize(4);
        assertThat(output.isEmpty()).isTrue();
        assertThat(deadLetterTopic.isEmpty()).isTrue();
    }

    @Test
    void shouldSendSourceRecordToDeadLettersWhenProcessorThrows() {
        // Given
        final byte[] bad = labelSerde.serializer().serialize("labels", label("e-2", 7));

        // When
        input.pipeInput(new TestRecord<>("k-2", bad, T0));
        input.pipeInput(new TestRecord<>("k-3", labelSerde.serializer().serialize("labels", label("e-3", 0)),
            T0.plusSeconds(1)));

        // Then
        assertThat(output.readValuesToList()).containsExactly(label("e-3", 0));
        final List<TestRecord<byte[], byte[]>> records = deadLetterTopic.readRecordsToList();
        assertThat(records).hasSize(1);
        final DeadLetter letter = readDeadLetter(records.get(0));
        assertThat(letter.getStage()).isEqualTo("process:check-label");
        assertThat(letter.getReasonCode()).isEqualTo("PROCESSING_ERROR");
        assertThat(letter.getReason()).contains("IllegalStateException", "label out of range");
        assertThat(letter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(bad));
        assertThat(registry.get(PlatformMetrics.DEAD_LETTERS).tag("stage", "process:check-label")
            .tag("reason", "PROCESSING_ERROR").counter().count()).isEqualTo(1.0);
        assertThat(output.isEmpty()).isTrue();
        assertThat(deadLetterTopic.isEmpty()).isTrue();
    }
}
