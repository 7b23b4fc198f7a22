package io.driftguard.features;

import static io.driftguard.features.Txns.T0;
import static io.driftguard.features.Txns.txn;
import static io.driftguard.features.Txns.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Transaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureReplayTest {
  private static final Clock CLOCK = Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC);
  private static final FeatureSet SET = FeatureSet.parse("name: r\nentityKey: cardId\ntimestamp: eventTime\n"
      + "features:\n  - {name: c, aggregation: count, window: {type: sliding, size: 1h, grace: 1m}, freshnessSla: 1h}\n",
      Transaction.getClassSchema());

  @TempDir
  Path dir;

  private static int partitionOf(final String card, final int partitions) {
    return Utils.toPositive(Utils.murmur2(card.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  @Test
  void shouldReplayAnAvroFileWhenGivenItsPath() throws IOException {
    // Given
    final Path file = dir.resolve("events.avro");
    try (DataFileWriter<Transaction> writer = new DataFileWriter<>(new SpecificDatumWriter<>(Transaction.class))) {
      writer.create(Transaction.getClassSchema(), file.toFile());
      writer.append(txn("card-1", 1, T0));
      writer.append(txn("card-1", 1, T0.plusSeconds(10)));
      writer.append(txn("card-1", Double.NaN, T0.plusSeconds(20)));
    }

    // When
    final FeatureReplay.Result r = FeatureReplay.builder(SET).clock(CLOCK).build().run(file);

    // Then
    assertThat(r.vectors()).extracting(v -> value(v, "c")).containsExactly(1.0, 2.0);
    assertThat(r.rejects()).singleElement().satisfies(rej -> {
      assertThat(rej.index()).isEqualTo(2);
      assertThat(rej.verdict().reasonCode()).isEqualTo(ReasonCode.NON_FINITE);
    });
  }

  @Test
  void shouldJudgeLatenessPerPartitionWhenGivenThePartitionCount() {
    // Given two cards on different partitions of a 2-partition topic
    final String a = "card-a";
    String b = null;
    for (int i = 0; b == null; i++) {
      if (partitionOf("card-" + i, 2) != partitionOf(a, 2)) {
        b = "card-" + i;
      }
    }
    final List<Transaction> events = new ArrayList<>();
    events.add(txn(a, 1, T0.plus(Duration.ofMinutes(30))));
    events.add(txn(b, 1, T0));

    // When
    final FeatureReplay.Result onePartition = FeatureReplay.builder(SET).clock(CLOCK).build().run(events);
    final FeatureReplay.Result twoPartitions =
        FeatureReplay.builder(SET).clock(CLOCK).partitions(2).build().run(events);

    // Then
    assertThat(onePartition.rejects()).singleElement()
        .satisfies(rej -> assertThat(rej.verdict().reasonCode()).isEqualTo(ReasonCode.LATE));
    assertThat(twoPartitions.rejects()).isEmpty();
    assertThat(twoPartitions.vectors()).hasSize(2);
  }

  @Test
  void shouldStreamOutputsInInputOrderWhenGivenAListener() {
    // Given
    final List<String> seen = new ArrayList<>();

    // When
    FeatureReplay.builder(SET).clock(CLOCK).build().stream(
        List.of(txn("card-1", 1, T0), txn("card-1", Double.NaN, T0), txn("card-1", 1, T0)).iterator(),
        new FeatureReplay.Listener() {
          @Override
          public void onVector(final long index, final io.driftguard.avro.FeatureVector vector) {
            seen.add(index + ":vector");
          }

          @Override
          public void onReject(final FeatureReplay.Reject reject) {
            seen.add(reject.index() + ":" + reject.verdict().reasonCode());
          }
        });

    // Then
    assertThat(seen).containsExactly("0:vector", "1:NON_FINITE", "2:vector");
  }

  @Test
  void shouldRefuseWhenThePartitionCountIsNotPositive() {
    assertThatThrownBy(() -> FeatureReplay.builder(SET).partitions(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitions must be >= 1");
  }
}
