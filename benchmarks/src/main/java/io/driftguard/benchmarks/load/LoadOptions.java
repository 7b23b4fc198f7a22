package io.driftguard.benchmarks.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options of {@link LoadHarness}.
 *
 * @param bootstrapServers an existing broker, or null to start the embedded one in this JVM
 * @param records input records per measured run
 * @param warmupRuns unmeasured runs of every stage on the same input before measuring (the broker and this JVM's
 *     JIT need a few: the first full run is about half speed)
 * @param valueBytes value size of each input record
 * @param keys distinct keys (entity ids)
 * @param partitions partitions of the input and every output topic
 * @param repeats measured runs per stage; the median is reported
 * @param stages stage names, the first being the 1.00 baseline
 * @param timeoutSeconds longest a single run may take before it is reported as failed
 * @param input {@code bytes} (random values) or {@code transactions} (Avro Transactions through the registry serde,
 *     keyed by card id, record timestamp = event time); the {@code features} stage needs transactions
 * @param schemaRegistryUrl registry for {@code transactions}; null = start the embedded one
 * @param lagRate events/s of the lag phase after the measured runs (0 = no lag phase)
 * @param lagSeconds how long the lag phase produces, per stage
 */
record LoadOptions(String bootstrapServers, long records, int warmupRuns, int valueBytes, int keys,
    int partitions, int repeats, List<String> stages, long timeoutSeconds, String input, String schemaRegistryUrl,
    int lagRate, int lagSeconds) {

  static final String BYTES = "bytes";
  static final String TRANSACTIONS = "transactions";

  static final String USAGE = """
      usage: java -cp benchmarks/target/benchmarks.jar io.driftguard.benchmarks.load.LoadHarness [options]
        --bootstrap-servers HOST:PORT  use this broker (default: start the embedded KRaft broker in this JVM)
        --records N                    input records per measured run (default 1000000)
        --warmup-runs N                unmeasured runs of each stage on the same input first (default 2, 0 = none)
        --value-bytes N                value size (default 200)
        --keys N                       distinct keys (default 10000)
        --partitions N                 partitions of input and output topics (default 4)
        --repeats N                    measured runs per stage, median reported (default 3)
        --stages a,b,...               stages to run, first is the 1.00 baseline (default plain,streams-eos;
                                       known: plain, plain-async, streams-eos, features)
        --timeout-seconds N            abort a run that takes longer (default 600)
        --input bytes|transactions     random bytes, or Avro Transactions through the registry (default bytes;
                                       the features stage needs transactions)
        --schema-registry-url URL      registry for transactions (default: start the embedded one in this JVM)
        --lag-rate N                   after the measured runs, feed each stage N events/s live and report the
                                       p50/p99 event->output lag (default 0 = skip)
        --lag-seconds N                duration of each stage's lag phase (default 20)
      """;

  LoadOptions {
    if (bootstrapServers != null && bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("--bootstrap-servers: must not be blank");
    }
    positive(records, "--records");
    if (warmupRuns < 0) {
      throw new IllegalArgumentException("--warmup-runs: must be >= 0, got " + warmupRuns);
    }
    positive(valueBytes, "--value-bytes");
    positive(keys, "--keys");
    positive(partitions, "--partitions");
    positive(repeats, "--repeats");
    positive(timeoutSeconds, "--timeout-seconds");
    if (stages == null || stages.isEmpty()) {
      throw new IllegalArgumentException("--stages: name at least one stage");
    }
    stages.forEach(Stages::byName);
    if (stages.stream().distinct().count() != stages.size()) {
      throw new IllegalArgumentException("--stages: a stage is named twice in " + stages);
    }
    stages = List.copyOf(stages);
    if (!BYTES.equals(input) && !TRANSACTIONS.equals(input)) {
      throw new IllegalArgumentException("--input: expected 'bytes' or 'transactions', got '" + input + "'");
    }
    if (stages.contains(FeatureStreamStage.NAME) && !TRANSACTIONS.equals(input)) {
      throw new IllegalArgumentException("--stages: '" + FeatureStreamStage.NAME + "' needs --input transactions");
    }
    if (schemaRegistryUrl != null && schemaRegistryUrl.isBlank()) {
      throw new IllegalArgumentException("--schema-registry-url: must not be blank");
    }
    if (lagRate < 0) {
      throw new IllegalArgumentException("--lag-rate: must be >= 0, got " + lagRate);
    }
    positive(lagSeconds, "--lag-seconds");
  }

  /** Random-bytes input, no lag phase. */
  LoadOptions(final String bootstrapServers, final long records, final int warmupRuns, final int valueBytes,
      final int keys, final int partitions, final int repeats, final List<String> stages, final long timeoutSeconds) {
    this(bootstrapServers, records, warmupRuns, valueBytes, keys, partitions, repeats, stages, timeoutSeconds, BYTES,
        null, 0, 20);
  }

  private static void positive(final long value, final String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": must be > 0, got " + value);
    }
  }

  static LoadOptions parse(final String[] args) {
    String bootstrap = null;
    long records = 1_000_000;
    int warmup = 2;
    int valueBytes = 200;
    int keys = 10_000;
    int partitions = 4;
    int repeats = 3;
    List<String> stages = List.of("plain", "streams-eos");
    long timeout = 600;
    String input = BYTES;
    String registryUrl = null;
    int lagRate = 0;
    int lagSeconds = 20;
    for (int i = 0; i < args.length; i++) {
      final String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + ": missing value\n" + USAGE);
      }
      final String value = args[++i];
      switch (flag) {
        case "--bootstrap-servers" -> bootstrap = value;
        case "--records" -> records = number(flag, value);
        case "--warmup-runs" -> warmup = Math.toIntExact(number(flag, value));
        case "--value-bytes" -> valueBytes = Math.toIntExact(number(flag, value));
        case "--keys" -> keys = Math.toIntExact(number(flag, value));
        case "--partitions" -> partitions = Math.toIntExact(number(flag, value));
        case "--repeats" -> repeats = Math.toIntExact(number(flag, value));
        case "--stages" -> stages = names(value);
        case "--timeout-seconds" -> timeout = number(flag, value);
        case "--input" -> input = value;
        case "--schema-registry-url" -> registryUrl = value;
        case "--lag-rate" -> lagRate = Math.toIntExact(number(flag, value));
        case "--lag-seconds" -> lagSeconds = Math.toIntExact(number(flag, value));
        default -> throw new IllegalArgumentException("unknown option '" + flag + "'\n" + USAGE);
      }
    }
    return new LoadOptions(bootstrap, records, warmup, valueBytes, keys, partitions, repeats, stages, timeout, input,
        registryUrl, lagRate, lagSeconds);
  }

  private static long number(final String flag, final String value) {
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": not a whole number: '" + value + "'", e);
    }
  }

  private static List<String> names(final String value) {
    final List<String> out = new ArrayList<>();
    for (final String s : value.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }
}
