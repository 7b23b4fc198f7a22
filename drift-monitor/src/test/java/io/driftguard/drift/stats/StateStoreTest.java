package io.driftguard.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.drift.alerting.HysteresisState;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The states live in a real Kafka Streams store through their serdes (TopologyTestDriver, no broker). */
class StateStoreTest {

    private static final String STORE = "numeric-window-state";
    private static final ReferenceBins BINS = new ReferenceBins(new double[] {0.0, 10.0},
            new double[] {0.2, 0.6, 0.2});

    @Test
    void shouldAggregateIntoStoreWhenStateIsTheStoreValue() {
        // Given
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream("feature-values", Consumed.with(Serdes.String(), Serdes.Double()).withName("feature-source"))
                .groupByKey(Grouped.as("feature-grouped"))
                .aggregate(() -> NumericWindowState.empty(BINS, 64), (feature, value, state) -> state.update(value),
                        Named.as("feature-window-agg"),
                        Materialized.<String, NumericWindowState, KeyValueStore<Bytes, byte[]>>as(STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(StateSerdes.numericWindowState()));
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "state-store-test");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(props), props)) {
            final TestInputTopic<String, Double> input = driver.createInputTopic("feature-values",
                    Serdes.String().serializer(), Serdes.Double().serializer());
            final Instant t0 = Instant.parse("2026-11-28T10:00:00Z");

            // When
            for (final Double v : List.of(-1.0, 5.0, 5.5, 20.0)) {
                input.pipeInput("amount", v, t0);
            }

            // Then
            final KeyValueStore<String, NumericWindowState> store = driver.getKeyValueStore(STORE);
            final NumericWindowState state = store.get("amount");
            assertThat(state.binCounts()).containsExactly(1, 2, 1);
            assertThat(state.count()).isEqualTo(4);
            assertThat(state.max()).isEqualTo(20.0);
        }
    }

    @Test
    void shouldTurnBadBytesIntoSerializationExceptionWhenDeserializing() {
        // Given
        final var deserializer = StateSerdes.categoricalWindowState().deserializer();
        final var hysteresis = HysteresisState.serde();

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize("drift-state", new byte[] {1, 2, 3}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("CategoricalWindowState")
                .hasMessageContaining("drift-state");
        assertThat(deserializer.deserialize("drift-state", null)).isNull();
        assertThat(hysteresis.deserializer().deserialize("t",
                hysteresis.serializer().serialize("t", HysteresisState.INITIAL))).isEqualTo(HysteresisState.INITIAL);
    }
}
