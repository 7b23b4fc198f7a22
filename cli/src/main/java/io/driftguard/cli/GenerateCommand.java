package io.driftguard.cli;

import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import io.driftguard.model.synth.Scenario;
import io.driftguard.model.synth.SynthConfig;
import io.driftguard.model.synth.SyntheticAvroFiles;
import io.driftguard.model.synth.SyntheticDataGenerator;
import io.driftguard.model.synth.SyntheticJsonLines;
import io.driftguard.model.synth.TimedRecord;
import io.driftguard.platform.app.SchemaRegistries;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The synthetic card-payment generator, to files or to Kafka. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
        "Generate synthetic card payments (Transaction) with a hidden fraud process and delayed Labels, "
            + "deterministic for a seed, optionally with drift injected from --onset.",
        "To files (--out DIR): " + DataFiles.JSONL_FILE + " (one timeline, --format jsonl) or "
            + DataFiles.TRANSACTIONS_AVRO + " + " + DataFiles.LABELS_AVRO + " (Avro container files, --format avro); "
            + "'driftguard train --data DIR' reads either.",
        "To Kafka (--bootstrap-servers, --schema-registry): Transactions to 'events' and Labels to 'labels', keyed "
            + "by card id, with the driftguard Avro serdes (Confluent wire format, subjects <topic>-value), record "
            + "timestamp = event time / label time. Event time starts now and advances at --rate; transactions are "
            + "sent at --rate per second, each label when the timeline reaches its label time (labels due after "
            + "the period are sent at its end). Ctrl-C stops publishing cleanly (flushed, exit 0)."})
final class GenerateCommand implements Callable<Integer> {

    enum Format { jsonl, avro }

    private static final Instant FILE_START = Instant.parse("2026-01-01T00:00:00Z");
    private static final long FILE_PROGRESS_EVERY = 100_000;
    private static final Duration KAFKA_PROGRESS_EVERY = Duration.ofSeconds(5);

    @Option(names = "--out", paramLabel = "DIR", description = "Write files into DIR (created if missing).")
    Path out;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|avro",
        description = "File format with --out. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--rate", paramLabel = "N",
        description = "Transactions per second of event time; with Kafka also the publishing pace. "
            + "Default: 100 with Kafka; with files the per-card rate of 6 payments a day.")
    Double rate;

    @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Length of the generated period in event time (30s, 10m, 7d, PT1H). "
            + "Default: 7d for files, 10m for Kafka.")
    Duration duration;

    @Option(names = "--cards", defaultValue = "1000", paramLabel = "N",
        description = "Number of cards (entities). Default: ${DEFAULT-VALUE}.")
    int cards;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
        description = "Random seed; the same options give the same records. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--start", paramLabel = "INSTANT",
        description = "Event time of the first instant (ISO, e.g. 2026-01-01T00:00:00Z). Default: "
            + "2026-01-01T00:00:00Z for files, now for Kafka.")
    Instant start;

    @Option(names = "--scenario", defaultValue = "NONE", paramLabel = "SCENARIO",
        description = "Drift injected from --onset: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Scenario scenario;

    @Option(names = "--onset", converter = DurationConverter.class, paramLabel = "OFFSET",
        description = "When the drift starts, as an offset from --start (e.g. 4d, 5m). "
            + "Default: the middle of the period.")
    Duration onset;

    @Option(names = "--label-delay", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Median delay of a label after its payment (log-normal). Default: 24h.")
    Duration labelDelay;

    @Spec
    CommandSpec spec;

    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        final boolean toKafka = cluster.given();
        if (toKafka == (out != null)) {
            throw usage("give either --out DIR (files) or --bootstrap-servers and --schema-registry (Kafka)");
        }
        if (rate != null && !(rate > 0 && Double.isFinite(rate))) {
            throw usage("--rate must be a positive number of events per second, got " + rate);
        }
        if (cards < 1) {
            throw usage("--cards must be at least 1, got " + cards);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw usage("--duration must be positive, got " + duration);
        }
        if (labelDelay != null && (labelDelay.isNegative() || labelDelay.isZero())) {
            throw usage("--label-delay must be positive, got " + labelDelay);
        }
        final DriftguardConfig clusterConfig = toKafka ? cluster.config(spec, env, "driftguard-generate") : null;
        final SynthConfig config = synthConfig(toKafka);
        final SyntheticDataGenerator generator = SyntheticDataGenerator.create(config);
        final PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("Generating %d cards from %s for %s (seed %d, scenario %s%s)%n", config.cards(),
            config.start(), config.duration(), config.seed(), config.scenario(),
            generator.drift().map(d -> ", onset " + d.onset() + ": " + d.description()).orElse(""));
        stdout.flush();
        if (toKafka) {
            return toKafka(stdout, generator, clusterConfig);
        }
        return toFiles(stdout, generator);
    }

    private SynthConfig synthConfig(final boolean toKafka) {
        final Instant from = start != null ? start
            : toKafka ? Instant.now().truncatedTo(ChronoUnit.SECONDS) : FILE_START;
        final Duration length = duration != null ? duration : toKafka ? Duration.ofMinutes(10) : Duration.ofDays(7);
        if (onset != null && scenario == Scenario.NONE) {
            throw usage("--onset needs a drift --scenario (other than NONE)");
        }
        if (onset != null && (onset.isNegative() || onset.compareTo(length) >= 0)) {
            throw usage("--onset must lie within the period [0, " + length + "), got " + onset);
        }
        final Instant onsetAt = scenario == Scenario.NONE ? null
            : from.plus(onset != null ? onset : length.dividedBy(2));
        final SynthConfig.Builder b = SynthConfig.builder().seed(seed).cards(cards).start(from).duration(length)
            .scenario(scenario, onsetAt);
        final Double eventRate = rate != null ? rate : toKafka ? Double.valueOf(100.0) : null;
        if (eventRate != null) {
            b.eventsPerSecond(eventRate);
        }
        if (labelDelay != null) {
            b.labelDelayMedian(labelDelay);
        }
        try {
            return b.build();
        } catch (final IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private int toFiles(final PrintWriter stdout, final SyntheticDataGenerator generator) throws Exception {
        Files.createDirectories(out);
        final long started = System.nanoTime();
        final Counting records;
        try (Stream<TimedRecord> timeline = generator.timeline()) {
            records = new Counting(timeline.iterator(), stdout);
            if (format == Format.avro) {
                SyntheticAvroFiles.write(records, out.resolve(DataFiles.TRANSACTIONS_AVRO),
                    out.resolve(DataFiles.LABELS_AVRO));
            } else {
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(
                    out.resolve(DataFiles.JSONL_FILE)), 1 << 16)) {
                    SyntheticJsonLines.write(records, file);
                }
            }
        }
        stdout.printf(Locale.ROOT, "Wrote %d transactions and %d labels to %s in %.1f s%n", records.transactions,
            records.labels, format == Format.avro ? out.resolve(DataFiles.TRANSACTIONS_AVRO) + " and "
                + out.resolve(DataFiles.LABELS_AVRO) : out.resolve(DataFiles.JSONL_FILE),
            (System.nanoTime() - started) / 1e9);
        stdout.flush();
        return 0;
    }

    private int toKafka(final PrintWriter stdout, final SyntheticDataGenerator generator,
                        final DriftguardConfig config) throws Exception {
        final String eventsTopic = config.topics().events();
        final String labelsTopic = config.topics().labels();
        final double pace = generator.config().eventsPerCardDay() * generator.config().cards() / 86_400.0;
        final double perSecond = rate != null ? rate : 100.0;
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Callback onAck = (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        long transactions = 0;
        long labels = 0;
        final long t0 = System.nanoTime();
        long paceStart = -1;
        final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        long nextProgress = t0 + KAFKA_PROGRESS_EVERY.toNanos();
        try (SchemaRegistryClient registry = SchemaRegistries.client(config.schemaRegistry());
             KafkaProducer<String, Transaction> txProducer = new KafkaProducer<>(
                 ModelControlPublisher.producerProperties(config), new StringSerializer(),
                 AvroSerdes.specific(Transaction.class, registry, false).serializer());
             KafkaProducer<String, Label> labelProducer = new KafkaProducer<>(
                 ModelControlPublisher.producerProperties(config), new StringSerializer(),
                 AvroSerdes.specific(Label.class, registry, false).serializer());
             Stream<TimedRecord> timeline = generator.timeline();
             Signals signals = Signals.onStop(() -> stopped.set(true))) {
            stdout.printf(Locale.ROOT, "Publishing to %s (events: %s, labels: %s) at %.1f transactions/s "
                + "(event-time rate %.1f/s)%n", config.kafka().bootstrapServers(), eventsTopic, labelsTopic,
                perSecond, pace);
            stdout.flush();
            final Iterator<TimedRecord> it = timeline.iterator();
            while (it.hasNext() && failure.get() == null && !stopped.get()) {
                final TimedRecord r = it.next();
                final long ts = r.timestamp().toEpochMilli();
                if (r.value() instanceof Transaction t) {
                    // pace on the count sent: the i-th transaction leaves no earlier than paceStart + i / rate; the
                    // clock starts after the first send, which waits for metadata and schema registration, so that
                    // start-up does not turn into a catch-up burst
                    if (paceStart >= 0) {
                        final long wait = paceStart + (long) (transactions * 1e9 / perSecond) - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    txProducer.send(new ProducerRecord<>(eventsTopic, null, ts, r.key(), t), onAck);
                    if (paceStart < 0) {
                        paceStart = System.nanoTime();
                    }
                    transactions++;
                } else {
                    labelProducer.send(new ProducerRecord<>(labelsTopic, null, ts, r.key(), (Label) r.value()),
                        onAck);
                    labels++;
                }
                if (System.nanoTime() >= nextProgress) {
                    final double secs = (System.nanoTime() - t0) / 1e9;
                    stdout.printf(Locale.ROOT, "  %d transactions, %d labels sent (%.1f transactions/s), event time "
                        + "%s%n", transactions, labels, transactions / secs, r.timestamp());
                    stdout.flush();
                    nextProgress += KAFKA_PROGRESS_EVERY.toNanos();
                }
            }
            txProducer.flush();
            labelProducer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("publishing to " + config.kafka().bootstrapServers() + " failed after "
                + transactions + " transactions: " + failure.get().getMessage(), failure.get());
        }
        stdout.printf(Locale.ROOT, "%s %d transactions to %s and %d labels to %s in %.1f s%n",
            stopped.get() ? "Stopped by signal after publishing" : "Published", transactions, eventsTopic, labels,
            labelsTopic, (System.nanoTime() - t0) / 1e9);
        stdout.flush();
        return 0;
    }

    private CommandLine.ParameterException usage(final String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Counts what passes through, with a progress line every {@value #FILE_PROGRESS_EVERY} records. */
    private static final class Counting implements Iterator<TimedRecord> {
        private final Iterator<TimedRecord> delegate;
        private final PrintWriter stdout;
        long transactions;
        long labels;

        Counting(final Iterator<TimedRecord> delegate, final PrintWriter stdout) {
            this.delegate = delegate;
            this.stdout = stdout;
        }

        @Override
        public boolean hasNext() {
            return delegate.hasNext();
        }

        @Override
        public TimedRecord next() {
            final TimedRecord r = delegate.next();
            if (r.isTransaction()) {
                transactions++;
            } else {
                labels++;
            }
            if ((transactions + labels) % FILE_PROGRESS_EVERY == 0) {
                stdout.printf("  %d transactions, %d labels written (event time %s)%n", transactions, labels,
                    r.timestamp());
                stdout.flush();
            }
            return r;
        }
    }
}
