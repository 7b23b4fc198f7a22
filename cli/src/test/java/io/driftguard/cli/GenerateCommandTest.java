package io.driftguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.model.synth.SyntheticAvroFiles;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaStackExtension.class)
class GenerateCommandTest {

    private static final String EVENTS = "generate-test-events";
    private static final String LABELS = "generate-test-labels";

    static KafkaStackInfo stack;

    @TempDir
    Path dir;

    @Test
    void shouldWriteTheSameJsonLinesTwiceWhenSeedIsFixed() throws Exception {
        // Given
        final String[] args = {"generate", "--cards", "40", "--duration", "2d", "--seed", "7", "--out", ""};

        // When
        args[args.length - 1] = dir.resolve("a").toString();
        final Cli.Run first = Cli.run(args);
        args[args.length - 1] = dir.resolve("b").toString();
        final Cli.Run second = Cli.run(args);

        // Then
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        final Path a = dir.resolve("a").resolve(DataFiles.JSONL_FILE);
        final List<String> lines = Files.readAllLines(a, StandardCharsets.UTF_8);
        final long[] counts = counts(first.out());
        assertThat(lines).hasSize((int) (counts[0] + counts[1]));
        assertThat(counts[0]).isGreaterThan(100);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(DataFiles.JSONL_FILE)));
        assertThat(first.out()).contains("Generating 40 cards from 2026-01-01T00:00:00Z for PT48H (seed 7, scenario NONE)");
    }

    @Test
    void shouldWriteAvroFilesWithAScenarioWhenFormatIsAvro() throws Exception {
        // When
        final Cli.Run run = Cli.run("generate", "--format", "avro", "--cards", "30", "--duration", "2d",
            "--scenario", "amount_shift", "--onset", "1d", "--out", dir.toString());

        // Then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        final List<Transaction> txns = SyntheticAvroFiles.readTransactions(dir.resolve(DataFiles.TRANSACTIONS_AVRO));
        final List<Label> labels = SyntheticAvroFiles.readLabels(dir.resolve(DataFiles.LABELS_AVRO));
        final long[] counts = counts(run.out());
        assertThat(txns).hasSize((int) counts[0]);
        assertThat(labels).hasSize((int) counts[1]).isNotEmpty();
        assertThat(run.out()).contains("scenario AMOUNT_SHIFT, onset 2026-01-02T00:00:00Z");
    }

    @Test
    void shouldExitTwoNamingTheInputWhenRateIsNegativeOrScenarioUnknown() {
        // When
        final Cli.Run negative = Cli.run("generate", "--rate", "-5", "--out", dir.toString());
        final Cli.Run unknown = Cli.run("generate", "--scenario", "EARTHQUAKE", "--out", dir.toString());
        final Cli.Run nowhere = Cli.run("generate");
        final Cli.Run badOnset = Cli.run("generate", "--scenario", "NULL_SPIKE", "--onset", "9d", "--duration", "2d",
            "--out", dir.toString());

        // Then
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).startsWith("driftguard: --rate must be a positive number of events per second, "
            + "got -5.0").doesNotContain("\tat ");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Invalid value for option '--scenario'", "EARTHQUAKE", "AMOUNT_SHIFT");
        assertThat(nowhere.exitCode()).isEqualTo(2);
        assertThat(nowhere.err()).contains("give either --out DIR");
        assertThat(badOnset.exitCode()).isEqualTo(2);
        assertThat(badOnset.err()).contains("--onset must lie within the period");
    }

    @Test
    void shouldPublishKeyedTimestampedAvroRecordsWhenGivenACluster() {
        // Given
        stack.createTopics(2, EVENTS, LABELS);
        final Map<String, String> env = Map.of("DRIFTGUARD_TOPICS_EVENTS", EVENTS, "DRIFTGUARD_TOPICS_LABELS", LABELS,
            "DRIFTGUARD_STREAMS_COMMIT_INTERVAL", "ignored by CLI clients");
        final long started = System.nanoTime();

        // When: 400 transactions/s of event time for 2 s, labels 200 ms after their payment (median)
        final Cli.Run run = Cli.runWithEnv(env, "generate", "--bootstrap-servers", stack.bootstrapServers(),
            "--schema-registry", stack.schemaRegistryUrl(), "--rate", "400", "--duration", "2s", "--cards", "50",
            "--label-delay", "200ms");

        // Then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        final Matcher m = Pattern.compile("Published (\\d+) transactions to " + EVENTS + " and (\\d+) labels to "
            + LABELS).matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        final int transactions = Integer.parseInt(m.group(1));
        final int labels = Integer.parseInt(m.group(2));
        assertThat(transactions).isBetween(400, 1200);
        // paced: N transactions at 400/s take at least (N - 1) / 400 s
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isGreaterThanOrEqualTo(Duration.ofMillis((transactions - 1) * 1000L / 400));
        final SchemaRegistryClient registry = stack.registryClient();
        final List<ConsumerRecord<String, Transaction>> events = readAll(EVENTS,
            AvroSerdes.specific(Transaction.class, registry, false).deserializer(), transactions);
        final List<ConsumerRecord<String, Label>> labelRecords = readAll(LABELS,
            AvroSerdes.specific(Label.class, registry, false).deserializer(), labels);
        assertThat(events).hasSize(transactions).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(r.value().getCardId());
            assertThat(r.timestamp()).isEqualTo(r.value().getEventTime().toEpochMilli());
        });
        assertThat(labelRecords).hasSize(labels).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(r.value().getEntityId());
            assertThat(r.timestamp()).isEqualTo(r.value().getLabelTime().toEpochMilli());
        });
        assertThat(labels).isPositive();
    }

    private static long[] counts(final String out) {
        final Matcher m = Pattern.compile("Wrote (\\d+) transactions and (\\d+) labels").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    /** Reads the topic from the start until {@code expected} records or 30 s; returns what it read. */
    private static <V> List<ConsumerRecord<String, V>> readAll(final String topic, final Deserializer<V> values,
                                                               final int expected) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "generate-test-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        final List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // one extra poll after reaching the count shows there are no duplicates
            int extraPolls = 1;
            while (System.nanoTime() < deadline && (out.size() < expected || extraPolls-- > 0)) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
