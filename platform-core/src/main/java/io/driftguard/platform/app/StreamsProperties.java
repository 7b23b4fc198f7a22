package io.driftguard.platform.app;

import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.config.StreamsSettings;
import io.driftguard.platform.deadletter.DeadLetterDeserializationHandler;
import io.driftguard.platform.deadletter.DeadLetterProcessingHandler;
import io.driftguard.platform.deadletter.DeadLetters;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams properties from driftguard config. */
public final class StreamsProperties {

    private StreamsProperties() {
    }

    /**
     * Streams properties: the {@code kafka.properties} passthrough (security etc.) first, then application id,
     * bootstrap servers, processing guarantee (default exactly_once_v2), commit interval, cache, state dir, threads,
     * and the dead-letter deserialization and processing exception handlers.
     *
     * <p>The handlers need a {@link DeadLetters} instance at runtime: use {@link #from(DriftguardConfig, DeadLetters)}
     * or let {@link StreamsApp} add it.
     */
    public static Properties from(final DriftguardConfig config) {
        final StreamsSettings streams = config.streams();
        final Properties props = new Properties();
        props.putAll(config.kafka().properties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.CLIENT_ID_CONFIG, config.applicationId() + "-" + config.instanceId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, streams.processingGuarantee().kafkaName());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, streams.commitInterval().toMillis());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, streams.cacheMaxBytes());
        props.put(StreamsConfig.STATE_DIR_CONFIG, streams.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streams.numStreamThreads());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            DeadLetterDeserializationHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        if (streams.applicationServer() != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, streams.applicationServer());
        }
        return props;
    }

    /** {@link #from(DriftguardConfig)} plus the {@link DeadLetters} instance the exception handlers use. */
    public static Properties from(final DriftguardConfig config, final DeadLetters deadLetters) {
        final Properties props = from(config);
        props.put(DeadLetters.CONFIG_KEY, Objects.requireNonNull(deadLetters, "deadLetters"));
        return props;
    }
}
