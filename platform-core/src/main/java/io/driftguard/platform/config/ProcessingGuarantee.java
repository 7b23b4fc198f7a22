package io.driftguard.platform.config;

import java.util.Locale;

/** Kafka Streams processing guarantee; config values are the Kafka names ({@code exactly_once_v2}). */
public enum ProcessingGuarantee {
    EXACTLY_ONCE_V2,
    AT_LEAST_ONCE;

    /** The value of Streams' {@code processing.guarantee}. */
    public String kafkaName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
