package io.driftguard.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process single-node KRaft broker plus the Kafka-backed schema registry: all driftguard needs to run with
 * nothing but Java. Restarting with the same {@code dataDir} keeps topics, offsets and schema ids.
 */
public final class EmbeddedStack implements KafkaStackInfo, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  /**
   * @param dataDir where broker data lives; null for a temp dir deleted on close
   * @param brokerPort 0 for ephemeral
   * @param registryPort 0 for ephemeral
   * @param registryBasicAuthUserInfo {@code user:password} to protect the registry, or null
   */
  public record Options(Path dataDir, int brokerPort, int registryPort, String registryBasicAuthUserInfo) {
    public Options {
      checkPort(brokerPort, "brokerPort");
      checkPort(registryPort, "registryPort");
      if (brokerPort != 0 && brokerPort == registryPort) {
        throw new IllegalArgumentException("brokerPort and registryPort must differ, both are " + brokerPort);
      }
      if (registryBasicAuthUserInfo != null && !registryBasicAuthUserInfo.contains(":")) {
        throw new IllegalArgumentException("registryBasicAuthUserInfo must be 'user:password'");
      }
    }

    public Options(final Path dataDir, final int brokerPort, final int registryPort) {
      this(dataDir, brokerPort, registryPort, null);
    }

    /** Temp data dir, ephemeral ports, no auth. */
    public static Options defaults() {
      return new Options(null, 0, 0, null);
    }

    public Options withDataDir(final Path dir) {
      return new Options(dir, brokerPort, registryPort, registryBasicAuthUserInfo);
    }

    public Options withPorts(final int broker, final int registry) {
      return new Options(dataDir, broker, registry, registryBasicAuthUserInfo);
    }

    public Options withRegistryBasicAuth(final String userInfo) {
      return new Options(dataDir, brokerPort, registryPort, userInfo);
    }

    private static void checkPort(final int port, final String name) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(name + " must be 0 (ephemeral) or 1-65535, was " + port);
      }
    }

    @Override
    public String toString() {
      return "Options[dataDir=" + dataDir + ", brokerPort=" + brokerPort + ", registryPort=" + registryPort
          + ", registryBasicAuth=" + (registryBasicAuthUserInfo == null ? "off" : "on") + "]";
    }
  }

  private final EmbeddedKafkaBroker broker;
  private final EmbeddedSchemaRegistry registry;
  private final Path tempDir;

  private EmbeddedStack(final EmbeddedKafkaBroker broker, final EmbeddedSchemaRegistry registry,
      final Path tempDir) {
    this.broker = broker;
    this.registry = registry;
    this.tempDir = tempDir;
  }

  /**
   * Starts broker then registry.
   *
   * @throws IllegalStateException naming the port when a requested port is already in use
   */
  public static EmbeddedStack start(final Options options) {
    // Check both ports before starting anything, so a busy registry port does not cost a broker start.
    if (options.brokerPort() != 0) {
      Ports.resolve(options.brokerPort(), "Kafka broker");
    }
    if (options.registryPort() != 0) {
      Ports.resolve(options.registryPort(), "Schema registry");
    }
    Path tempDir = null;
    final Path dataDir;
    try {
      if (options.dataDir() == null) {
        tempDir = Files.createTempDirectory("driftguard-stack-");
        dataDir = tempDir;
      } else {
        dataDir = Files.createDirectories(options.dataDir());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create data dir " + options.dataDir() + ": " + e.getMessage(), e);
    }
    final long started = System.nanoTime();
    final EmbeddedKafkaBroker broker;
    try {
      broker = EmbeddedKafkaBroker.start(dataDir, options.brokerPort(), Map.of());
    } catch (RuntimeException e) {
      if (tempDir != null) {
        Files2.deleteRecursively(tempDir);
      }
      throw e;
    }
    final EmbeddedSchemaRegistry registry;
    try {
      EmbeddedSchemaRegistry.Config config =
          EmbeddedSchemaRegistry.Config.of(broker.bootstrapServers(), options.registryPort());
      if (options.registryBasicAuthUserInfo() != null) {
        config = config.withBasicAuth(options.registryBasicAuthUserInfo());
      }
      registry = EmbeddedSchemaRegistry.start(config);
    } catch (RuntimeException e) {
      broker.close();
      if (tempDir != null) {
        Files2.deleteRecursively(tempDir);
      }
      throw e;
    }
    LOG.info("Embedded stack up in {} ms: kafka {} registry {}",
        Duration.ofNanos(System.nanoTime() - started).toMillis(), broker.bootstrapServers(), registry.url());
    return new EmbeddedStack(broker, registry, tempDir);
  }

  @Override
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  @Override
  public String schemaRegistryUrl() {
    return registry.url();
  }

  public EmbeddedKafkaBroker broker() {
    return broker;
  }

  public EmbeddedSchemaRegistry registry() {
    return registry;
  }

  /** Stops the registry, then the broker; deletes the temp data dir if one was made. Idempotent. */
  @Override
  public void close() {
    try {
      registry.close();
    } finally {
      broker.close();
      if (tempDir != null) {
        Files2.deleteRecursively(tempDir);
      }
    }
  }
}
