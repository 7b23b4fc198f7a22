package io.driftguard.embedded;

import io.driftguard.schemas.registry.RestSchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Where a running Kafka broker and schema registry are: embedded, or containers. */
public interface KafkaStackInfo {

  String bootstrapServers();

  String schemaRegistryUrl();

  /** A new Admin client on the broker; the caller closes it. */
  default Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** A new registry client on the registry. */
  default SchemaRegistryClient registryClient() {
    return RestSchemaRegistryClient.of(schemaRegistryUrl());
  }

  /** Creates topics with the given partition count (replication 1); existing ones are left alone. */
  default void createTopics(final int partitions, final String... topics) {
    try (Admin admin = admin()) {
      admin.createTopics(Arrays.stream(topics).map(t -> new NewTopic(t, partitions, (short) 1)).toList())
          .values().forEach((topic, future) -> {
            try {
              future.get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
              if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topic '" + topic + "': " + e.getCause(), e);
              }
            } catch (TimeoutException e) {
              throw new IllegalStateException("Timed out creating topic '" + topic + "'", e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("Interrupted creating topic '" + topic + "'", e);
            }
          });
    }
  }
}
