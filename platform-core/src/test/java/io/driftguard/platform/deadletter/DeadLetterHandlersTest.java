package io.driftguard.platform.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.DeadLetter;
import io.driftguard.platform.app.StreamsProperties;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.metrics.PlatformMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
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
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<String, Integer> output;
    private TestOutputTopic<byte[], byte[]> deadLetterTopic;

    static Topology topology() {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.Integer()).withName("in-source"))
            .mapValues(v -> {
                if (v == 13) {
                    throw new IllegalStateException("unlucky value rejected by test processor");
                }
                return v;
            }, Named.as("check-value"))
            .to("out", Produced.with(Serdes.String(), Serdes.Integer()).withName("out-sink"));
        return builder.build();
    }

    // at_least_once: TopologyTestDriver's EOS emulation does not surface dead-letter records sent while a record is
    // enqueued (deserialized) rather than processed; the exactly-once path is covered against a real broker in
    // StreamsAppIT-style tests (StreamsAppTest).
    @BeforeEach
    void setUp() {
        final DriftguardConfig config = ConfigLoader.withEnv(Map.of()).loadYaml("""
            applicationId: dlq-test
            kafka: {bootstrapServers: "unused:9092"}
            schemaRegistry: {url: "http://unused:8081"}
            streams: {processingGuarantee: at_least_once}
            """, "test").common();
        final DeadLetters deadLetters = new DeadLetters("dlq-test", config.topics().deadLetters(),
            AvroBinary.serializer(), PlatformMetrics.boundTo(registry), Clock.fixed(NOW, ZoneOffset.UTC));
        final Properties props = StreamsProperties.from(config, deadLetters);
        driver = new TopologyTestDriver(topology(), props, T0);
        input = driver.createInputTopic("in", new StringSerializer(), new ByteArraySerializer());
        output = driver.createOutputTopic("out", new StringDeserializer(), new IntegerDeserializer());
        deadLetterTopic = driver.createOutputTopic("dead-letters", new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldSendUndecodableRecordsToDeadLettersAndContinueWhenBytesAreBad() {
        // Given
        final byte[] good = {0, 0, 0, 42};

        // When
        input.pipeInput(new TestRecord<>("k-bad", new byte[] {1, 2, 3, 4, 5}, T0));
        input.pipeInput(new TestRecord<>("k-empty", new byte[0], T0.plusSeconds(1)));
        input.pipeInput(new TestRecord<>("k-good", good, T0.plusSeconds(2)));

        // Then
        assertThat(output.readKeyValuesToList()).containsExactly(new org.apache.kafka.streams.KeyValue<>("k-good", 42));
        final List<TestRecord<byte[], byte[]>> letters = deadLetterTopic.readRecordsToList();
        assertThat(letters).hasSize(2);
        final DeadLetter first = AvroBinary.deserializer().deserialize("dead-letters", letters.get(0).value());
        assertThat(letters.get(0).key()).isEqualTo("k-bad".getBytes());
        assertThat(first.getApp()).isEqualTo("dlq-test");
        assertThat(first.getStage()).isEqualTo("deserialize");
        assertThat(first.getReasonCode()).isEqualTo("WRONG_MAGIC_BYTE");
        assertThat(first.getTopic()).isEqualTo("in");
        assertThat(first.getPartition()).isZero();
        assertThat(first.getOffset()).isZero();
        assertThat(first.getRecordTimestamp()).isEqualTo(T0);
        assertThat(first.getOriginalValue()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
        assertThat(first.getFailedAt()).isEqualTo(NOW);
        final DeadLetter second = AvroBinary.deserializer().deserialize("dead-letters", letters.get(1).value());
        assertThat(second.getReasonCode()).isEqualTo("EMPTY_VALUE");
        assertThat(second.getOffset()).isEqualTo(1);
        assertThat(registry.get(PlatformMetrics.DEAD_LETTERS).tag("stage", "deserialize")
            .tag("reason", "WRONG_MAGIC_BYTE").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(PlatformMetrics.DEAD_LETTERS).tag("reason", "EMPTY_VALUE").counter().count())
            .isEqualTo(1.0);
        assertThat(output.isEmpty()).isTrue();
        assertThat(deadLetterTopic.isEmpty()).isTrue();
    }

    @Test
    void shouldSendSourceRecordToDeadLettersWhenProcessorThrows() {
        // When
        input.pipeInput(new TestRecord<>("k-13", new byte[] {0, 0, 0, 13}, T0));
        input.pipeInput(new TestRecord<>("k-7", new byte[] {0, 0, 0, 7}, T0.plusSeconds(1)));

        // Then
        assertThat(output.readValuesToList()).containsExactly(7);
        final List<TestRecord<byte[], byte[]>> letters = deadLetterTopic.readRecordsToList();
        assertThat(letters).hasSize(1);
        final DeadLetter letter = AvroBinary.deserializer().deserialize("dead-letters", letters.get(0).value());
        assertThat(letter.getStage()).isEqualTo("process:check-value");
        assertThat(letter.getReasonCode()).isEqualTo("PROCESSING_ERROR");
        assertThat(letter.getReason()).contains("IllegalStateException", "unlucky value rejected");
        assertThat(letter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(new byte[] {0, 0, 0, 13}));
        assertThat(registry.get(PlatformMetrics.DEAD_LETTERS).tag("stage", "process:check-value")
            .tag("reason", "PROCESSING_ERROR").counter().count()).isEqualTo(1.0);
        assertThat(output.isEmpty()).isTrue();
        assertThat(deadLetterTopic.isEmpty()).isTrue();
    }
}
