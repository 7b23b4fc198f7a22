package io.driftguard.embedded.junit;

import io.driftguard.embedded.KafkaStackInfo;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@code apache/kafka} plus {@code confluentinc/cp-schema-registry} in Docker. Only loaded when containers were
 * asked for, so Testcontainers stays an optional dependency.
 */
final class ContainerStack implements KafkaStackInfo, AutoCloseable {
  static final String KAFKA_IMAGE = System.getProperty("driftguard.test.kafka.image", "apache/kafka:4.4.0");
  static final String REGISTRY_IMAGE =
      System.getProperty("driftguard.test.registry.image", "confluentinc/cp-schema-registry:8.0.0");
  private static final String INTERNAL_LISTENER = "kafka:19092";

  private final Network network;
  private final KafkaContainer kafka;
  private final GenericContainer<?> registry;

  private ContainerStack(final Network network, final KafkaContainer kafka, final GenericContainer<?> registry) {
    this.network = network;
    this.kafka = kafka;
    this.registry = registry;
  }

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @SuppressWarnings("resource")
  static ContainerStack start() {
    final Network network = Network.newNetwork();
    final KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE)
        .withNetwork(network)
        .withNetworkAliases("kafka")
        .withListener(INTERNAL_LISTENER);
    final GenericContainer<?> registry = new GenericContainer<>(REGISTRY_IMAGE)
        .withNetwork(network)
        .withExposedPorts(8081)
        .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
        .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
        .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + INTERNAL_LISTENER)
        .dependsOn(kafka)
        .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));
    try {
      kafka.start();
      registry.start();
    } catch (RuntimeException e) {
      registry.stop();
      kafka.stop();
      network.close();
      throw e;
    }
    return new ContainerStack(network, kafka, registry);
  }

  @Override
  public String bootstrapServers() {
    return kafka.getBootstrapServers();
  }

  @Override
  public String schemaRegistryUrl() {
    return "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);
  }

  @Override
  public void close() {
    try {
      registry.stop();
      kafka.stop();
    } finally {
      network.close();
    }
  }
}
