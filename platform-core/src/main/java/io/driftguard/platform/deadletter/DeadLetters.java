package io.driftguard.platform.deadletter;

import io.driftguard.avro.DeadLetter;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.metrics.AppMetrics;
import io.driftguard.platform.metrics.PlatformMetrics;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds, counts and logs dead letters for one app. Every dead letter increments {@code driftguard.dead.letters}
 * (tags {@code stage}, {@code reason}) and logs where the record came from, never its content (values may hold PII).
 *
 * <p>Streams' exception handlers find this instance under {@link #CONFIG_KEY} in the Streams properties
 * ({@link io.driftguard.platform.app.StreamsProperties#from(io.driftguard.platform.config.DriftguardConfig,
 * DeadLetters)} puts it there).
 */
public final class DeadLetters {

    /** Streams property under which the handlers look up this instance. */
    public static final String CONFIG_KEY = "driftguard.dead.letters.instance";

    /** Stage name for records that could not be deserialized. */
    public static final String STAGE_DESERIALIZE = "deserialize";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_REASON_LENGTH = 1000;

    private final String app;
    private final String topic;
    private final Serializer<DeadLetter> serializer;
    private final PlatformMetrics metrics;
    private final Clock clock;

    /**
     * @param app application id written to {@code DeadLetter.app}
     * @param topic the dead-letters topic
     * @param serializer value serializer for {@link DeadLetter} (the registry-aware Avro serde in apps)
     * @param metrics where the counter lives
     * @param clock wall clock for {@code failedAt}
     */
    public DeadLetters(final String app, final String topic, final Serializer<DeadLetter> serializer,
                       final PlatformMetrics metrics, final Clock clock) {
        this.app = requireText(app, "app");
        this.topic = requireText(topic, "topic");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The usual wiring: app = application id, topic = {@code topics.deadLetters}, the registry-aware Avro serializer,
     * the app's metrics, the system clock.
     */
    public static DeadLetters create(final DriftguardConfig config, final SchemaRegistryClient registry,
                                     final AppMetrics metrics) {
        return new DeadLetters(config.applicationId(), config.topics().deadLetters(),
            AvroSerdes.specific(DeadLetter.class, registry, false).serializer(), metrics.platform(), Clock.systemUTC());
    }

    public String app() {
        return app;
    }

    /** The dead-letters topic. */
    public String topic() {
        return topic;
    }

    /**
     * Builds a dead letter, counts and logs it. Use this from a processor that routes bad records to the dead-letters
     * topic itself (validation); exception handlers use {@link #producerRecord}.
     *
     * @param reason human-readable, naming the bad field; must not contain field values that may be PII
     * @param recordTimestamp source record timestamp in epoch ms, or null if unknown
     */
    public DeadLetter deadLetter(final String stage, final ReasonCode code, final String reason,
                                 final String sourceTopic, final int partition, final long offset,
                                 final Long recordTimestamp, final byte[] key, final byte[] value) {
        final DeadLetter letter = DeadLetter.newBuilder()
            .setApp(app)
            .setStage(requireText(stage, "stage"))
            .setReasonCode(Objects.requireNonNull(code, "code").name())
            .setReason(truncate(reason == null ? code.name() : reason))
            .setTopic(sourceTopic == null ? "" : sourceTopic)
            .setPartition(partition)
            .setOffset(offset)
            .setRecordTimestamp(recordTimestamp == null || recordTimestamp < 0 ? null
                : java.time.Instant.ofEpochMilli(recordTimestamp))
            .setOriginalKey(key == null ? null : ByteBuffer.wrap(key.clone()))
            .setOriginalValue(value == null ? null : ByteBuffer.wrap(value.clone()))
            .setFailedAt(clock.instant())
            .build();
        metrics.deadLetter(letter.getStage(), code);
        LOG.warn("dead letter: app={} stage={} reason={} source={}-{}@{}: {}", app, letter.getStage(), code,
            letter.getTopic(), partition, offset, letter.getReason());
        return letter;
    }

    /**
     * Builds, counts and serializes a dead letter as a raw record for the dead-letters topic, keyed by the original
     * key bytes: what Streams' exception handlers hand back so the write joins the task's transaction.
     */
    public ProducerRecord<byte[], byte[]> producerRecord(final String stage, final ReasonCode code,
                                                         final String reason, final String sourceTopic,
                                                         final int partition, final long offset,
                                                         final Long recordTimestamp, final byte[] key,
                                                         final byte[] value) {
        final DeadLetter letter = deadLetter(stage, code, reason, sourceTopic, partition, offset, recordTimestamp,
            key, value);
        return new ProducerRecord<>(topic, null, null, key, serializer.serialize(topic, letter));
    }

    private static String truncate(final String text) {
        return text.length() <= MAX_REASON_LENGTH ? text : text.substring(0, MAX_REASON_LENGTH) + "...";
    }

    private static String requireText(final String value, final String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
