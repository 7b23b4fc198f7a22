package io.driftguard.model.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticFilesTest {
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;

    private static SyntheticDataGenerator generator(final long seed) {
        return SyntheticDataGenerator.create(SynthConfig.builder().seed(seed).cards(150).start(START)
                .duration(Duration.ofDays(3)).scenario(Scenario.NULL_SPIKE, START.plus(Duration.ofDays(2))).build());
    }

    @Test
    void shouldWriteIdenticalJsonLinesBytesWhenSeedIsRepeated() throws IOException {
        // Given
        final Path a = dir.resolve("a.jsonl");
        final Path b = dir.resolve("b.jsonl");
        final Path c = dir.resolve("c.jsonl");
        // When
        final long written = SyntheticJsonLines.write(generator(11L).timeline(), a);
        SyntheticJsonLines.write(generator(11L).timeline(), b);
        SyntheticJsonLines.write(generator(12L).timeline(), c);
        // Then
        assertThat(written).isGreaterThan(1000);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(c));
        assertThat(Files.readAllLines(a)).hasSize((int) written)
                .allSatisfy(line -> assertThat(line).matches("\\{\"type\":\"(transaction|label)\",.*\\}"));
        assertThat(Files.readString(a)).contains("\"customerEmail\":\"user");
    }

    @Test
    void shouldReadBackTheSameRecordsWhenJsonLinesAreRoundTripped() throws IOException {
        // Given
        final Path file = dir.resolve("t.jsonl");
        final List<TimedRecord> expected = generator(5L).timeline().toList();
        SyntheticJsonLines.write(expected.stream(), file);
        // When
        final List<TimedRecord> actual;
        try (Stream<TimedRecord> read = SyntheticJsonLines.read(file)) {
            actual = read.toList();
        }
        // Then
        assertThat(actual).isEqualTo(expected);
        assertThat(actual).anySatisfy(r -> assertThat(r.isLabel()).isTrue());
    }

    @Test
    void shouldNameLineAndKeyWhenJsonLineIsBad() throws IOException {
        // Given
        final Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"type\":\"label\",\"eventId\":\"e\",\"entityId\":\"c\",\"label\":1,"
                + "\"labelTime\":5,\"eventTime\":null,\"source\":null}\n\n"
                + "{\"type\":\"transaction\",\"eventId\":\"e\"}\n", StandardCharsets.UTF_8);
        // When / Then
        try (Stream<TimedRecord> read = SyntheticJsonLines.read(file)) {
            assertThatThrownBy(read::toList).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad.jsonl:3").hasMessageContaining("missing required key");
        }
        assertThatThrownBy(() -> SyntheticJsonLines.parseLine("{\"type\":\"refund\"}", "x:1"))
                .hasMessageContaining("'type'").hasMessageContaining("refund");
    }

    @Test
    void shouldWriteIdenticalAvroFilesAndReadThemBackWhenSeedIsRepeated() throws IOException {
        // Given
        final Path tx1 = dir.resolve("tx1.avro");
        final Path lb1 = dir.resolve("lb1.avro");
        final Path tx2 = dir.resolve("tx2.avro");
        final Path lb2 = dir.resolve("lb2.avro");
        final List<TimedRecord> timeline = generator(11L).timeline().toList();
        // When
        final SyntheticAvroFiles.Written written = SyntheticAvroFiles.write(timeline.stream(), tx1, lb1);
        SyntheticAvroFiles.write(generator(11L).timeline(), tx2, lb2);
        // Then
        assertThat(Files.readAllBytes(tx1)).isEqualTo(Files.readAllBytes(tx2));
        assertThat(Files.readAllBytes(lb1)).isEqualTo(Files.readAllBytes(lb2));
        final List<Transaction> transactions = SyntheticAvroFiles.readTransactions(tx1);
        final List<Label> labels = SyntheticAvroFiles.readLabels(lb1);
        assertThat(transactions).hasSize((int) written.transactions())
                .containsExactlyElementsOf(timeline.stream().filter(TimedRecord::isTransaction)
                        .map(r -> (Transaction) r.value()).toList());
        assertThat(labels).hasSize((int) written.labels())
                .containsExactlyElementsOf(timeline.stream().filter(TimedRecord::isLabel)
                        .map(r -> (Label) r.value()).toList());
    }

    @Test
    void shouldFailNamingTheFileWhenAvroFileIsNotAContainer() throws IOException {
        // Given
        final Path file = dir.resolve("junk.avro");
        Files.writeString(file, "not avro");
        // When / Then
        assertThatThrownBy(() -> SyntheticAvroFiles.readTransactions(file)).hasMessageContaining("junk.avro");
    }
}
