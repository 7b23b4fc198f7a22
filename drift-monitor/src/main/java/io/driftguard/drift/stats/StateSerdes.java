package io.driftguard.drift.stats;

import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serdes for the window states, over their explicit byte encodings (null stays null, for tombstones). */
public final class StateSerdes {

    private StateSerdes() {
    }

    public static Serde<NumericWindowState> numericWindowState() {
        return of(NumericWindowState::toBytes, NumericWindowState::fromBytes, "NumericWindowState");
    }

    public static Serde<CategoricalWindowState> categoricalWindowState() {
        return of(CategoricalWindowState::toBytes, CategoricalWindowState::fromBytes, "CategoricalWindowState");
    }

    /** A serde over an encode/decode pair; a decode failure becomes a SerializationException naming the type. */
    public static <T> Serde<T> of(final Function<T, byte[]> encode, final Function<byte[], T> decode,
            final String typeName) {
        final Serializer<T> serializer = (topic, value) -> value == null ? null : encode.apply(value);
        final Deserializer<T> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return decode.apply(bytes);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("cannot decode " + typeName + " from topic " + topic + ": "
                        + e.getMessage(), e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
