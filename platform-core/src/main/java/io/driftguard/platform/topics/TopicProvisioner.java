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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
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
        final Map<String, TopicDescription> descriptions = get(
            admin.describeTopics(topics.stream().map(TopicDefinition::name).toList()).allTopicNames(), timeout,
            "describe topics");
        final Map<String, Integer> partitions = new LinkedHashMap<>();
        topics.forEach(t -> partitions.put(t.name(), descriptions.get(t.name()).partitions().size()));
        checkCoPartitioning(topics, partitions);
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
