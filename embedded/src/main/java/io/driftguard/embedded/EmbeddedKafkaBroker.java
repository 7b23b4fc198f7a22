package io.driftguard.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) running in this JVM. Sized for a small
 * machine: few threads, small log-cleaner buffer, few internal-topic partitions. A data dir kept between runs keeps
 * topics and offsets (the storage is formatted only once).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final KafkaRaftServer server;
  private final Path dataDir;
  private final boolean deleteDataDir;
  /** Name of the optional SASL_PLAINTEXT listener (SCRAM-SHA-256 and SCRAM-SHA-512). */
  public static final String SASL_LISTENER = "SASL";

  private final int port;
  private final int saslPort;
  private boolean closed;

  private EmbeddedKafkaBroker(final KafkaRaftServer server, final Path dataDir, final boolean deleteDataDir,
      final int port, final int saslPort) {
    this.server = server;
    this.dataDir = dataDir;
    this.deleteDataDir = deleteDataDir;
    this.port = port;
    this.saslPort = saslPort;
  }

  /**
   * Formats (if needed) and starts a broker.
   *
   * @param dataDirOrNull where the logs live; null for a temp dir deleted on {@link #close()}
   * @param port the client port; 0 picks a free one
   * @param overrides extra broker properties, applied last
   * @throws IllegalStateException naming the port when it is already in use
   */
  public static EmbeddedKafkaBroker start(final Path dataDirOrNull, final int port,
      final Map<String, String> overrides) {
    return start(dataDirOrNull, port, -1, overrides);
  }

  /**
   * Like {@link #start(Path, int, Map)}, plus a second client listener {@value #SASL_LISTENER} of protocol
   * SASL_PLAINTEXT with SCRAM-SHA-256 and SCRAM-SHA-512 enabled, for testing authenticated clients. The plaintext
   * listener stays (inter-broker traffic and admin use it); create SCRAM users with
   * {@code Admin.alterUserScramCredentials} on it.
   *
   * @param saslPort the SASL listener's port; 0 picks a free one
   */
  public static EmbeddedKafkaBroker startWithScramListener(final Path dataDirOrNull, final int port,
      final int saslPort, final Map<String, String> overrides) {
    if (saslPort < 0 || saslPort > 65535) {
      throw new IllegalArgumentException("saslPort must be 0 (ephemeral) or 1-65535, was " + saslPort);
    }
    return start(dataDirOrNull, port, saslPort, overrides);
  }

  private static EmbeddedKafkaBroker start(final Path dataDirOrNull, final int port, final int saslPortOrNone,
      final Map<String, String> overrides) {
    final int brokerPort = Ports.resolve(port, "Kafka broker");
    final int controllerPort = Ports.resolve(0, "Kafka controller");
    final int saslPort = saslPortOrNone < 0 ? -1 : Ports.resolve(saslPortOrNone, "Kafka SASL listener");
    final boolean temp = dataDirOrNull == null;
    final Path dataDir;
    try {
      dataDir = temp ? Files.createTempDirectory("driftguard-kafka-") : Files.createDirectories(dataDirOrNull);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create Kafka data dir " + dataDirOrNull + ": " + e.getMessage(), e);
    }
    final Path logDir = dataDir.resolve("kafka-logs");
    final Properties props = properties(brokerPort, controllerPort, logDir);
    if (saslPort >= 0) {
      addScramListener(props, saslPort);
    }
    props.putAll(overrides);
    format(props, dataDir, logDir);
    final KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      shutdownQuietly(server);
      if (temp) {
        Files2.deleteRecursively(dataDir);
      }
      throw new IllegalStateException("Embedded Kafka broker failed to start on port " + brokerPort + ": "
          + e.getMessage(), e);
    }
    LOG.info("Embedded Kafka broker started on localhost:{}{} (data {})", brokerPort,
        saslPort >= 0 ? " and SASL_PLAINTEXT/SCRAM localhost:" + saslPort : "", dataDir);
    return new EmbeddedKafkaBroker(server, dataDir, temp, brokerPort, saslPort);
  }

  static void addScramListener(final Properties props, final int saslPort) {
    final String listener = SASL_LISTENER + "://localhost:" + saslPort;
    props.put("listeners", props.getProperty("listeners") + "," + listener);
    props.put("advertised.listeners", props.getProperty("advertised.listeners") + "," + listener);
    props.put("listener.security.protocol.map", props.getProperty("listener.security.protocol.map") + ","
        + SASL_LISTENER + ":SASL_PLAINTEXT");
    props.put("sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512");
    final String prefix = "listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
    // The broker side of SCRAM needs a login module but no credentials of its own: users live in the metadata log.
    props.put(prefix + "scram-sha-256.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    props.put(prefix + "scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
  }

  public static EmbeddedKafkaBroker start(final Path dataDirOrNull, final int port) {
    return start(dataDirOrNull, port, Map.of());
  }

  static Properties properties(final int brokerPort, final int controllerPort, final Path logDir) {
    final Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    // Static voters: a restart may get another controller port, and static voters follow the config.
    props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
    props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "4");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("min.insync.replicas", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // The default dedupe buffer takes 128 MB of heap.
    props.put("log.cleaner.dedupe.buffer.size", "2097152");
    props.put("log.cleaner.threads", "1");
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("background.threads", "2");
    props.put("num.recovery.threads.per.data.dir", "1");
    props.put("num.partitions", "1");
    props.put("auto.create.topics.enable", "true");
    return props;
  }

  private static void format(final Properties props, final Path dataDir, final Path logDir) {
    final Path propsFile = dataDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(propsFile)) {
      props.store(out, "driftguard embedded broker (format only)");
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write " + propsFile + ": " + e.getMessage(), e);
    }
    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    final int rc;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      rc = StorageTool.execute(new String[] {"format", "-t", clusterId(logDir), "-c",
          propsFile.toString(), "--ignore-formatted"}, print);
    }
    if (rc != 0) {
      throw new IllegalStateException("Formatting Kafka storage in " + dataDir + " failed (exit " + rc + "): "
          + output.toString(StandardCharsets.UTF_8));
    }
  }

  /** The cluster id already in the data dir, so a restart formats nothing and keeps its data; else a new one. */
  private static String clusterId(final Path logDir) {
    final Path meta = logDir.resolve("meta.properties");
    if (Files.isRegularFile(meta)) {
      final Properties existing = new Properties();
      try (var in = Files.newInputStream(meta)) {
        existing.load(in);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read " + meta + ": " + e.getMessage(), e);
      }
      final String id = existing.getProperty("cluster.id");
      if (id == null || id.isBlank()) {
        throw new IllegalStateException(meta + " has no cluster.id; delete the data dir or fix the file");
      }
      return id;
    }
    return Uuid.randomUuid().toString();
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  public int port() {
    return port;
  }

  /** {@code localhost:<port>} of the SASL_PLAINTEXT listener. */
  public String saslBootstrapServers() {
    if (saslPort < 0) {
      throw new IllegalStateException("this broker has no SASL listener; start it with startWithScramListener");
    }
    return "localhost:" + saslPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    shutdownQuietly(server);
    if (deleteDataDir) {
      Files2.deleteRecursively(dataDir);
    }
    LOG.info("Embedded Kafka broker on localhost:{} stopped", port);
  }

  private static void shutdownQuietly(final KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }
}
