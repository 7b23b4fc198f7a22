package io.driftguard.benchmarks.load;

import io.driftguard.embedded.EmbeddedKafkaBroker;
import io.driftguard.embedded.EmbeddedSchemaRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end load benchmark: pre-loads an input topic, then runs every named {@link LoadStage} against it in one JVM
 * and one broker session, counting each stage's output by reading it. Stages are interleaved (a, b, a, b, ...) so
 * that load drifting on a shared machine hits them alike; each stage first gets unmeasured warm-up runs on the same
 * input, which warm the broker and the JIT. Prints records/s and the ratio of each stage's median to the
 * first stage's median. Not a test: run it by hand (see benchmarks/README.md).
 */
public final class LoadHarness {
  private static final Logger LOG = LoggerFactory.getLogger(LoadHarness.class);
  private static final long SEED = 20261128L;
  private static final Duration LAG_SKIP = Duration.ofSeconds(5);

  private final LoadOptions options;
  private final String bootstrapServers;
  private final PrintStream out;
  private final Admin admin;
  private final Path workDir;
  private final String registryUrl;

  private LoadHarness(final LoadOptions options, final String bootstrapServers, final String registryUrl,
      final PrintStream out, final Path workDir) {
    this.options = options;
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.out = out;
    this.workDir = workDir;
    final Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(props);
  }

  public static void main(final String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(LoadOptions.USAGE);
      return;
    }
    final LoadOptions options = LoadOptions.parse(args);
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    final Path workDir = Files.createTempDirectory("driftguard-load-");
    EmbeddedKafkaBroker broker = null;
    EmbeddedSchemaRegistry registry = null;
    try {
      final String bootstrap;
      if (options.bootstrapServers() == null) {
        broker = EmbeddedKafkaBroker.start(workDir.resolve("broker"), 0);
        bootstrap = broker.bootstrapServers();
      } else {
        bootstrap = options.bootstrapServers();
      }
      String registryUrl = options.schemaRegistryUrl();
      if (registryUrl == null && LoadOptions.TRANSACTIONS.equals(options.input())) {
        registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.Config.of(bootstrap, 0));
        registryUrl = registry.url();
      }
      run(options, bootstrap, registryUrl, broker != null, out, workDir);
    } finally {
      if (registry != null) {
        registry.close();
      }
      if (broker != null) {
        broker.close();
      }
      deleteRecursively(workDir);
    }
  }

  /**
   * Runs every stage as configured against {@code bootstrapServers}, printing progress and the table to {@code out}.
   *
   * @return every measured run, by stage name, in run order
   */
  static Map<String, List<RunResult>> run(final LoadOptions options, final String bootstrapServers,
      final boolean embedded, final PrintStream out, final Path workDir) throws Exception {
    return run(options, bootstrapServers, null, embedded, out, workDir);
  }

  /** As above; {@code registryUrl} serves the Avro schemas of {@code --input transactions}. */
  static Map<String, List<RunResult>> run(final LoadOptions options, final String bootstrapServers,
      final String registryUrl, final boolean embedded, final PrintStream out, final Path workDir) throws Exception {
    if (LoadOptions.TRANSACTIONS.equals(options.input()) && registryUrl == null) {
      throw new IllegalArgumentException("--input transactions needs a schema registry URL");
    }
    final LoadHarness harness = new LoadHarness(options, bootstrapServers, registryUrl, out, workDir);
    try {
      return harness.run(embedded);
    } finally {
      harness.admin.close();
    }
  }

  private Map<String, List<RunResult>> run(final boolean embedded) throws Exception {
    printMachine(embedded);
    final String stamp = Long.toString(Instant.now().toEpochMilli(), 36);
    final String inputTopic = "bench-input-" + stamp;
    final List<String> inputs = new ArrayList<>();
    try {
      createTopic(inputTopic);
      inputs.add(inputTopic);
      if (LoadOptions.TRANSACTIONS.equals(options.input())) {
        try (TransactionInput txns = new TransactionInput(bootstrapServers, registryUrl, options.keys(), SEED)) {
          txns.produce(inputTopic, options.records(), out);
        }
      } else {
        produce(inputTopic, options.records(), SEED);
      }

      for (int w = 1; w <= options.warmupRuns(); w++) {
        for (final String stage : options.stages()) {
          final RunResult r = runOnce(stage, inputTopic, options.records(), "warmup" + w + "-" + stage + "-" + stamp);
          out.printf("warm-up %d %-14s %,12.0f rec/s (total) %,12.0f rec/s (steady)%n", w, stage,
              r.count().totalPerSecond(), r.count().steadyPerSecond());
        }
      }
      final Map<String, List<RunResult>> results = new LinkedHashMap<>();
      options.stages().forEach(s -> results.put(s, new ArrayList<>()));
      for (int rep = 1; rep <= options.repeats(); rep++) {
        for (final String stage : options.stages()) {
          final RunResult r = runOnce(stage, inputTopic, options.records(), stage + "-" + rep + "-" + stamp);
          results.get(stage).add(r);
          out.printf("run %d    %-14s %,12.0f rec/s (total) %,12.0f rec/s (steady)  first output after %,d ms,"
                  + " extra records %d, load avg %.2f%n", rep, stage, r.count().totalPerSecond(),
              r.count().steadyPerSecond(), r.count().firstNanos() / 1_000_000, r.count().extra(), r.loadAfter());
        }
      }
      printTable(results);
      if (options.lagRate() > 0) {
        measureLag(stamp);
      }
      return results;
    } finally {
      deleteTopics(inputs);
    }
  }

  private RunResult runOnce(final String stageName, final String inputTopic, final long inputRecords,
      final String runId) throws Exception {
    final Supplier<LoadStage> factory = Stages.byName(stageName);
    final LoadStage stage = factory.get();
    final String outputTopic = "bench-out-" + runId;
    createTopic(outputTopic);
    final Path stateDir = Files.createDirectories(workDir.resolve("state").resolve(runId));
    final StageContext context = new StageContext(bootstrapServers, inputTopic, outputTopic, runId, stateDir,
        registryUrl);
    final List<String> created = new ArrayList<>(List.of(outputTopic));
    final String counted = stage.outputTopic(context);
    LOG.info("run {}: stage {} reading {} into {}", runId, stageName, inputTopic, counted);
    try (OutputCounter counter = new OutputCounter(bootstrapServers, counted, options.partitions())) {
      final long start = System.nanoTime();
      stage.start(context);
      final OutputCounter.Count count;
      try {
        count = counter.await(stage.expectedOutputs(inputRecords), start,
            Duration.ofSeconds(options.timeoutSeconds()), stage::checkHealthy);
      } finally {
        stage.stop();
      }
      return new RunResult(stageName, count, loadAverage());
    } finally {
      deleteTopics(created);
      deleteRecursively(stateDir);
    }
  }

  /**
   * Feeds every stage live at {@code --lag-rate} events/s on a fresh input topic and reports the lag from event to
   * committed output: the reader's wall clock when it sees an output record minus that record's timestamp, which every
   * stage carries over from its input, where it is the producer's wall clock at send (event time for transactions).
   * The first {@link #LAG_SKIP} are not counted: they include the stage's start-up and group join.
   */
  private void measureLag(final String stamp) throws Exception {
    out.println();
    out.printf("lag phase: %,d events/s for %d s per stage (first %d s not counted), reader in this JVM%n",
        options.lagRate(), options.lagSeconds(), LAG_SKIP.toSeconds());
    out.println("| stage | events counted | p50 lag ms | p95 lag ms | p99 lag ms | max lag ms | load avg |");
    out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (final String stageName : options.stages()) {
      final String runId = "lag-" + stageName + "-" + stamp;
      final String in = "bench-lag-in-" + runId;
      final String outTopic = "bench-out-" + runId;
      createTopic(in);
      createTopic(outTopic);
      final Path stateDir = Files.createDirectories(workDir.resolve("state").resolve(runId));
      final LoadStage stage = Stages.byName(stageName).get();
      final StageContext context = new StageContext(bootstrapServers, in, outTopic, runId, stateDir, registryUrl);
      try (LagReader reader = new LagReader(bootstrapServers, stage.outputTopic(context), options.partitions())) {
        stage.start(context);
        final long total = (long) options.lagRate() * options.lagSeconds();
        final long countFrom = System.currentTimeMillis() + LAG_SKIP.toMillis();
        final Thread feeder = new Thread(() -> feed(in, total), "bench-lag-feeder");
        final AtomicReference<Throwable> feedFailure = new AtomicReference<>();
        feeder.setUncaughtExceptionHandler((t, e) -> feedFailure.set(e));
        feeder.start();
        final LagReader.Lags lags;
        try {
          lags = reader.read(total, countFrom, Duration.ofSeconds(options.timeoutSeconds()), () -> {
            stage.checkHealthy();
            if (feedFailure.get() != null) {
              throw new IllegalStateException("lag feeder failed: " + feedFailure.get().getMessage(),
                  feedFailure.get());
            }
          });
        } finally {
          feeder.join();
          stage.stop();
        }
        out.printf("| %s | %,d | %d | %d | %d | %d | %.2f |%n", stageName, lags.counted(), lags.percentile(0.50),
            lags.percentile(0.95), lags.percentile(0.99), lags.percentile(1.0), loadAverage());
      } finally {
        deleteTopics(List.of(in, outTopic));
        deleteRecursively(stateDir);
      }
    }
  }

  /** Sends {@code total} events at the configured rate, stamped with the wall clock at send. */
  private void feed(final String topic, final long total) {
    final long periodNanos = 1_000_000_000L / options.lagRate();
    final long start = System.nanoTime();
    if (LoadOptions.TRANSACTIONS.equals(options.input())) {
      try (TransactionInput txns = new TransactionInput(bootstrapServers, registryUrl, options.keys(), SEED + 1)) {
        for (long i = 0; i < total; i++) {
          pace(start + i * periodNanos);
          txns.send(topic, i, System.currentTimeMillis());
        }
        txns.flush();
      }
    } else {
      final Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      final SplittableRandom rnd = new SplittableRandom(SEED + 1);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
          new ByteArraySerializer())) {
        for (long i = 0; i < total; i++) {
          pace(start + i * periodNanos);
          final byte[] value = new byte[options.valueBytes()];
          rnd.nextBytes(value);
          producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(),
              ("entity-" + rnd.nextInt(options.keys())).getBytes(StandardCharsets.UTF_8), value));
        }
      }
    }
  }

  private static void pace(final long dueNanos) {
    long wait;
    while ((wait = dueNanos - System.nanoTime()) > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(wait);
    }
  }

  private void printTable(final Map<String, List<RunResult>> results) {
    final String baseline = options.stages().get(0);
    final double baseTotal = median(results.get(baseline), true);
    final double baseSteady = median(results.get(baseline), false);
    out.println();
    final String records = LoadOptions.TRANSACTIONS.equals(options.input()) ? "Avro transactions"
        : "records x " + options.valueBytes() + " B";
    out.printf("%d %s, %d keys, %d partitions, %d run(s) per stage, median; ratio to '%s'%n",
        options.records(), records, options.keys(), options.partitions(), options.repeats(), baseline);
    out.println("| stage | records/s (start to last) | ratio | records/s (first to last output) | ratio | runs |");
    out.println("|---|---:|---:|---:|---:|---|");
    for (final Map.Entry<String, List<RunResult>> e : results.entrySet()) {
      final double total = median(e.getValue(), true);
      final double steady = median(e.getValue(), false);
      final String runs = e.getValue().stream()
          .map(r -> String.format("%,.0f", r.count().totalPerSecond()))
          .reduce((a, b) -> a + " / " + b).orElse("");
      out.printf("| %s | %,.0f | %.2f | %,.0f | %.2f | %s |%n", e.getKey(), total, total / baseTotal, steady,
          steady / baseSteady, runs);
    }
    out.printf("load average at end: %.2f%n", loadAverage());
  }

  private static double median(final List<RunResult> runs, final boolean total) {
    final double[] v = runs.stream()
        .mapToDouble(r -> total ? r.count().totalPerSecond() : r.count().steadyPerSecond()).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private void printMachine(final boolean embedded) {
    final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    out.printf("machine: %d CPUs, %,d MB RAM, %s %s, Java %s (%s), max heap %,d MB, load avg %.2f%n",
        Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() >> 20, os.getName(), os.getArch(),
        System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() >> 20, os.getSystemLoadAverage());
    out.printf("broker: %s (%s)%n", bootstrapServers, embedded ? "embedded KRaft, this JVM" : "external");
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private void createTopic(final String topic) throws ExecutionException, InterruptedException {
    admin.createTopics(List.of(new NewTopic(topic, options.partitions(), (short) 1))).all().get();
  }

  private void deleteTopics(final List<String> topics) {
    if (topics.isEmpty()) {
      return;
    }
    try {
      admin.deleteTopics(topics).all().get();
    } catch (ExecutionException e) {
      LOG.warn("could not delete topics {}: {}", topics, e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Seeded keys (uniform over {@code keys}) and random values of the configured size. */
  private void produce(final String topic, final long count, final long seed) {
    final Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    final SplittableRandom rnd = new SplittableRandom(seed);
    final byte[][] keys = new byte[options.keys()][];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = String.format("entity-%06d", k).getBytes(StandardCharsets.UTF_8);
    }
    final AtomicReference<Exception> failure = new AtomicReference<>();
    final long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (long i = 0; i < count && failure.get() == null; i++) {
        final byte[] value = new byte[options.valueBytes()];
        rnd.nextBytes(value);
        producer.send(new ProducerRecord<>(topic, keys[rnd.nextInt(keys.length)], value), (m, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("producing to " + topic + " failed: " + failure.get().getMessage(),
          failure.get());
    }
    final double seconds = (System.nanoTime() - start) / 1e9;
    out.printf("produced %,d records to %s in %.1f s (%,.0f rec/s)%n", count, topic, seconds, count / seconds);
  }

  private static void deleteRecursively(final Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (final Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One measured run of one stage; {@code loadAfter} is the system load average when it ended. */
  record RunResult(String stage, OutputCounter.Count count, double loadAfter) {
  }
}
