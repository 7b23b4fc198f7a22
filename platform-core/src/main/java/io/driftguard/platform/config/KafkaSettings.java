package io.driftguard.platform.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Where the Kafka cluster is and how to reach it.
 *
 * @param bootstrapServers {@code host:port[,host:port]}; required (no default outside dev-stack)
 * @param properties raw Kafka client properties passed unchanged to every client (Streams, producer, consumer,
 *     admin), e.g. {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config},
 *     {@code ssl.truststore.location}. Names are checked against Kafka's own config definitions; prefixed forms
 *     ({@code consumer.}, {@code producer.}, {@code admin.}, {@code main.consumer.}, ...) are accepted as Streams
 *     documents them.
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> properties) {

    private static final Set<String> PREFIXES = Set.of(
        StreamsConfig.CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX,
        StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
        StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.TOPIC_PREFIX);

    private static final Set<String> KNOWN = knownNames();

    public KafkaSettings {
        bootstrapServers = ConfigChecks.requiredText("bootstrapServers", bootstrapServers);
        properties = Map.copyOf(properties == null ? Map.of() : properties);
        for (final Map.Entry<String, String> entry : properties.entrySet()) {
            if (!isKnownClientProperty(entry.getKey())) {
                throw new ConfigException("properties." + entry.getKey(),
                    "not a Kafka client property (check the spelling against the Kafka client docs)");
            }
            if (entry.getValue() == null) {
                throw new ConfigException("properties." + entry.getKey(), "has no value");
            }
        }
    }

    /** Properties for a plain Kafka client (producer, consumer, admin): bootstrap servers plus the passthrough. */
    public Properties clientProperties() {
        final Properties props = new Properties();
        props.putAll(properties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** The passthrough properties in a stable order with passwords, secrets and JAAS config hidden, for logs. */
    public Map<String, String> redacted() {
        final Map<String, String> copy = new LinkedHashMap<>();
        new TreeSet<>(properties.keySet()).forEach(k -> copy.put(k,
            k.contains("password") || k.contains("jaas") || k.contains("secret") ? "[hidden]" : properties.get(k)));
        return copy;
    }

    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", properties=" + redacted() + "]";
    }

    static boolean isKnownClientProperty(final String name) {
        if (KNOWN.contains(name)) {
            return true;
        }
        for (final String prefix : PREFIXES) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                // topic.* takes any topic config; client prefixes take client configs
                return prefix.equals(StreamsConfig.TOPIC_PREFIX) || KNOWN.contains(name.substring(prefix.length()));
            }
        }
        return false;
    }

    private static Set<String> knownNames() {
        final Set<String> names = new TreeSet<>();
        names.addAll(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        names.addAll(StreamsConfig.configDef().names());
        return Set.copyOf(names);
    }
}
