package io.driftguard.platform.topics;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A typed topic handle: name plus serdes. Build once, inject; {@link #consumed()} and {@link #produced()} name the
 * source/sink processors {@code <topic>-source} / {@code <topic>-sink} so topologies keep stable names.
 */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public TopicSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        Objects.requireNonNull(keySerde, "keySerde of topic " + name);
        Objects.requireNonNull(valueSerde, "valueSerde of topic " + name);
    }

    /** Consumed with these serdes, source named {@code <topic>-source}. */
    public Consumed<K, V> consumed() {
        return consumed(name + "-source");
    }

    /** Consumed with these serdes and the given source processor name. */
    public Consumed<K, V> consumed(final String processorName) {
        return Consumed.with(keySerde, valueSerde).withName(processorName);
    }

    /** Produced with these serdes, sink named {@code <topic>-sink}. */
    public Produced<K, V> produced() {
        return produced(name + "-sink");
    }

    /** Produced with these serdes and the given sink processor name (several sinks to one topic need distinct names). */
    public Produced<K, V> produced(final String processorName) {
        return Produced.with(keySerde, valueSerde).withName(processorName);
    }
}
