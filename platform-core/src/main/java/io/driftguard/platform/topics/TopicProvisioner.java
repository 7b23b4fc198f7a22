package io.driftguard.platform.topics;

import io.driftguard.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates missing driftguard topics (idempotent) and checks that the co-partitioned topics have one partition count,
 * since Streams joins silently mis-route records otherwise.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    /** What {@link #ensure} did. */
    public record Report(List<String> created, List<String> existing, Map<String, Integer> partitions) {
    }

    private TopicProvisioner() {
    }

    /**
     * Creates the topics that do not exist, then verifies partition counts.
     *
     * @throws IllegalStateException naming the topics whose partition counts differ, or the failing admin call
     */
    public static Report ensure(final Admin admin, final List<TopicDefinition> topics, final Duration timeout) {
        final Set<String> present = get(admin.listTopics().names(), timeout, "list topics");
        final List<String> created = new ArrayList<>();
        final List<String> existing = new ArrayList<>();
        final List<NewTopic> missing = new ArrayList<>();
        for (final TopicDefinition topic : topics) {
            if (present.contains(topic.name())) {
                existing.add(topic.name());
            } else {
                missing.add(new NewTopic(topic.name(), topic.partitions(), topic.replicationFactor())
                    .configs(topic.configs()));
            }
        }
        if (!missing.isEmpty()) {
            final Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
            for (final Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                try {
                    get(result.getValue(), timeout, "create topic " + result.getKey());
                    created.add(result.getKey());
                } catch (final IllegalStateException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    existing.add(result.getKey());
                }
            }
        }
        final Map<String, TopicDescription> descriptions = describe(admin,
            topics.stream().map(TopicDefinition::name).toList(), timeout);
        final Map<String, Integer> partitions = new LinkedHashMap<>();
        topics.forEach(t -> partitions.put(t.name(), descriptions.get(t.name()).partitions().size()));
        checkCoPartitioning(topics, partitions);
        checkCleanupPolicies(admin, topics, existing, timeout);
        if (!created.isEmpty()) {
            LOG.info("created topics {}", created);
        }
        return new Report(List.copyOf(created), List.copyOf(existing), Map.copyOf(partitions));
    }

    /**
     * Registers every topic's value schema under {@code <topic>-value} (idempotent) and returns subject to id.
     */
    public static Map<String, Integer> registerSchemas(final SchemaRegistryClient registry,
                                                       final List<TopicDefinition> topics) {
        final Map<String, Integer> ids = new LinkedHashMap<>();
        for (final TopicDefinition topic : topics) {
            ids.put(topic.valueSubject(), registry.register(topic.valueSubject(), topic.valueSchema()));
        }
        return ids;
    }

    /** New topics take a moment to reach the broker's metadata; retry unknown-topic answers until the timeout. */
    private static Map<String, TopicDescription> describe(final Admin admin, final List<String> names,
                                                          final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return get(admin.describeTopics(names).allTopicNames(), timeout, "describe topics " + names);
            } catch (final IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(100);
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * A table topic (features, model-control) that is not compacted loses keys to retention: that is an error. A
     * compacted topic where delete is expected only gets a warning.
     */
    private static void checkCleanupPolicies(final Admin admin, final List<TopicDefinition> topics,
                                             final List<String> existing, final Duration timeout) {
        if (existing.isEmpty()) {
            return;
        }
        final Map<ConfigResource, Config> configs = get(admin.describeConfigs(existing.stream()
            .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all(), timeout,
            "describe topic configs");
        for (final TopicDefinition topic : topics) {
            final Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
            final ConfigEntry entry = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (entry == null) {
                continue;
            }
            final String actual = entry.value();
            if (topic.cleanupPolicy() == TopicDefinition.CleanupPolicy.COMPACT && !actual.contains("compact")) {
                throw new IllegalStateException("topic " + topic.name() + " must have cleanup.policy=compact (it is "
                    + "read as a table), found cleanup.policy=" + actual);
            }
            if (topic.cleanupPolicy() == TopicDefinition.CleanupPolicy.DELETE && !actual.contains("delete")) {
                LOG.warn("topic {} has cleanup.policy={}, expected delete", topic.name(), actual);
            }
        }
    }

    static void checkCoPartitioning(final List<TopicDefinition> topics, final Map<String, Integer> partitions) {
        final Map<String, Integer> group = new LinkedHashMap<>();
        topics.stream().filter(TopicDefinition::coPartitioned).forEach(t -> group.put(t.name(), partitions.get(t.name())));
        if (group.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("co-partitioned topics must have the same number of partitions, found "
                + group.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))
                + "; recreate the odd ones or increase their partitions to match");
        }
    }

    private static <T> T get(final KafkaFuture<T> future, final Duration timeout, final String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": no answer from Kafka within " + timeout, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }
}
