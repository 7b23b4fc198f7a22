package io.driftguard.platform.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Topic names (defaults from DESIGN.md) and how topics are created.
 *
 * @param partitions partition count used when creating topics, shared by the co-partitioned topics; default 4
 * @param replicationFactor replication factor used when creating topics; default 1
 */
public record TopicSettings(
    String events,
    String labels,
    String features,
    String predictions,
    String predictionsShadow,
    String alerts,
    String modelControl,
    String deadLetters,
    Integer partitions,
    Short replicationFactor) {

    public TopicSettings {
        events = name("events", events, "events");
        labels = name("labels", labels, "labels");
        features = name("features", features, "features");
        predictions = name("predictions", predictions, "predictions");
        predictionsShadow = name("predictionsShadow", predictionsShadow, "predictions-shadow");
        alerts = name("alerts", alerts, "alerts");
        modelControl = name("modelControl", modelControl, "model-control");
        deadLetters = name("deadLetters", deadLetters, "dead-letters");
        partitions = ConfigChecks.inRange("partitions", ConfigChecks.orDefault(partitions, 4), 1, 10_000);
        replicationFactor = (short) ConfigChecks.inRange("replicationFactor",
            (int) ConfigChecks.orDefault(replicationFactor, (short) 1), 1, Short.MAX_VALUE);
        final Map<String, String> byKey = new LinkedHashMap<>();
        byKey.put("events", events);
        byKey.put("labels", labels);
        byKey.put("features", features);
        byKey.put("predictions", predictions);
        byKey.put("predictionsShadow", predictionsShadow);
        byKey.put("alerts", alerts);
        byKey.put("modelControl", modelControl);
        byKey.put("deadLetters", deadLetters);
        final Map<String, String> seen = new HashMap<>();
        byKey.forEach((key, topic) -> {
            final String other = seen.putIfAbsent(topic, key);
            if (other != null) {
                throw new ConfigException(key, "topic name '" + topic + "' is already used by '" + other + "'");
            }
        });
    }

    /** All defaults. */
    public static TopicSettings defaults() {
        return new TopicSettings(null, null, null, null, null, null, null, null, null, null);
    }

    private static String name(final String key, final String value, final String fallback) {
        final String name = value == null ? fallback : value.trim();
        if (name.isEmpty() || name.length() > 249 || !name.matches("[a-zA-Z0-9._-]+")) {
            throw new ConfigException(key, "not a valid Kafka topic name: '" + value + "'");
        }
        return name;
    }
}
