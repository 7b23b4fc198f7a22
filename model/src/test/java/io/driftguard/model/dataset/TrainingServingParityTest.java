package io.driftguard.model.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import io.driftguard.features.FeatureSet;
import io.driftguard.features.FeatureTopology;
import io.driftguard.features.FeatureTopologyConfig;
import io.driftguard.model.Dataset;
import io.driftguard.model.synth.SynthConfig;
import io.driftguard.model.synth.SyntheticDataGenerator;
import io.driftguard.model.synth.TimedRecord;
import io.driftguard.schemas.registry.InMemorySchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdeConfig;
import io.driftguard.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training/serving parity: for 5,000 generated events the training set's features equal, bit for bit, what a scorer
 * sees when it looks up the feature topology's emitted vectors in a versioned table as of {@code t - 1 ms}. The
 * reference scorer here is a real Kafka Streams stream-to-versioned-table join, not a re-implementation of the rule.
 */
class TrainingServingParityTest {
  private static final int EVENTS = 5_000;
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path stateDir;

  /** Shifts the event's timestamp to t - 1 ms, so the versioned join reads the vector strictly before the event. */
  private static final class StrictlyBefore implements FixedKeyProcessor<String, Transaction, Transaction> {
    private FixedKeyProcessorContext<String, Transaction> context;

    @Override
    public void init(final FixedKeyProcessorContext<String, Transaction> ctx) {
      this.context = ctx;
    }

    @Override
    public void process(final FixedKeyRecord<String, Transaction> record) {
      context.forward(record.withTimestamp(record.timestamp() - 1));
    }
  }

  /** events ⋈ versioned(features) as of t - 1 ms, emitting (eventId, vector-or-null) per event. */
  private static Topology referenceScorer(final Serde<Transaction> txnSerde, final Serde<FeatureVector> vectorSerde) {
    final StreamsBuilder builder = new StreamsBuilder();
    final KTable<String, FeatureVector> features = builder.table("features",
        Consumed.with(Serdes.String(), vectorSerde).withName("ref-features-source"),
        Materialized.<String, FeatureVector>as(
                Stores.persistentVersionedKeyValueStore("ref-features-store", Duration.ofDays(60)))
            .withKeySerde(Serdes.String()).withValueSerde(vectorSerde));
    builder.stream("events", Consumed.with(Serdes.String(), txnSerde).withName("ref-events-source"))
        .processValues(StrictlyBefore::new, Named.as("ref-strictly-before"))
        .leftJoin(features, (event, vector) -> new KeyValue<>(event.getEventId(), vector),
            Joined.<String, Transaction, FeatureVector>with(Serdes.String(), txnSerde, vectorSerde)
                .withName("ref-join"))
        .map((card, kv) -> kv, Named.as("ref-by-event-id"))
        .to("scored", Produced.with(Serdes.String(), vectorSerde).withName("ref-scored-sink"));
    return builder.build();
  }

  private static Properties props(final String app, final Path dir) {
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    return p;
  }

  @Test
  void shouldEqualTheTopologyVectorsAsTheScorerSeesThemWhenReplayingGeneratedEvents() {
    // Given: 5,000 generated events, with some neighbours swapped so that arrival order differs from time order
    final List<TimedRecord> timeline = SyntheticDataGenerator.create(SynthConfig.builder().seed(11).cards(150)
        .start(START).duration(Duration.ofDays(8)).build()).timeline().toList();
    final List<Transaction> events = new ArrayList<>(timeline.stream().filter(TimedRecord::isTransaction)
        .map(r -> (Transaction) r.value()).limit(EVENTS).toList());
    final List<Label> labels = timeline.stream().filter(TimedRecord::isLabel).map(r -> (Label) r.value()).toList();
    final Random random = new Random(5);
    for (int i = 1; i < events.size(); i++) {
      if (random.nextDouble() < 0.08) {
        Collections.swap(events, i - 1, i);
      }
    }
    assertThat(events).hasSize(EVENTS);
    final Instant cutoff = START.plus(Duration.ofDays(30));
    final FeatureSet set = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema());

    final String scope = "parity-" + UUID.randomUUID();
    final InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(scope);
    final Serde<GenericRecord> eventSerde =
        AvroSerdes.generic(registry, false, set.eventSchema(), AvroSerdeConfig.defaults());
    final Serde<Transaction> txnSerde = AvroSerdes.specific(Transaction.class, registry, false);
    final Serde<FeatureVector> vectorSerde = AvroSerdes.specific(FeatureVector.class, registry, false);
    final Serde<DeadLetter> deadLetterSerde = AvroSerdes.specific(DeadLetter.class, registry, false);

    // When: the feature topology computes vectors; the reference scorer joins each event before its vector lands
    final List<FeatureVector> topologyVectors = new ArrayList<>();
    final Map<String, FeatureVector> scorerSaw = new HashMap<>();
    try (TopologyTestDriver featureDriver = new TopologyTestDriver(FeatureTopology.build(
            new FeatureTopologyConfig(set, "events", "features", "dead-letters", null, null), eventSerde, vectorSerde,
            deadLetterSerde, new SimpleMeterRegistry()), props("parity-features", stateDir.resolve("f")), cutoff);
        TopologyTestDriver scorerDriver = new TopologyTestDriver(referenceScorer(txnSerde, vectorSerde),
            props("parity-scorer", stateDir.resolve("s")), cutoff)) {
      final TestInputTopic<String, Transaction> featureIn = featureDriver.createInputTopic("events",
          Serdes.String().serializer(), txnSerde.serializer());
      final TestOutputTopic<String, FeatureVector> featureOut = featureDriver.createOutputTopic("features",
          Serdes.String().deserializer(), vectorSerde.deserializer());
      final TestInputTopic<String, Transaction> scorerEvents = scorerDriver.createInputTopic("events",
          Serdes.String().serializer(), txnSerde.serializer());
      final TestInputTopic<String, FeatureVector> scorerFeatures = scorerDriver.createInputTopic("features",
          Serdes.String().serializer(), vectorSerde.serializer());
      final TestOutputTopic<String, FeatureVector> scored = scorerDriver.createOutputTopic("scored",
          Serdes.String().deserializer(), vectorSerde.deserializer());
      for (final Transaction e : events) {
        featureIn.pipeInput(e.getCardId(), e, e.getEventTime());
        scorerEvents.pipeInput(e.getCardId(), e, e.getEventTime());
        final KeyValue<String, FeatureVector> s = scored.readKeyValue();
        scorerSaw.put(s.key, s.value);
        for (final KeyValue<String, FeatureVector> v : featureOut.readKeyValuesToList()) {
          topologyVectors.add(v.value);
          scorerFeatures.pipeInput(v.key, v.value, v.value.getEventTime());
        }
      }
      assertThat(scored.isEmpty()).isTrue();
    } finally {
      InMemorySchemaRegistryClient.dropScope(scope);
    }
    final TrainingSetConfig config = TrainingSetConfig.asOf(cutoff)
        .withUnlabelled(TrainingSetConfig.Unlabelled.NEGATIVE, Duration.ZERO)
        .withStaleFeatures(TrainingSetConfig.StaleFeatures.KEEP);
    final TrainingSet replayed = TrainingSetBuilder.create(set, config).build(events, labels);
    final TrainingSet fromTopology = TrainingSetBuilder.create(set, config)
        .buildFromVectors(events, topologyVectors, labels);

    // Then: every accepted event is a row, and each row's features are bit-for-bit the scorer's
    final Dataset d = replayed.dataset();
    assertThat(d.size()).isEqualTo(topologyVectors.size()).isGreaterThan(4_500);
    assertThat(replayed.stats().eventsRejected()).containsOnlyKeys("LATE");
    assertThat(replayed.stats().rowsWithoutPriorVector()).isBetween(150, 300);
    final int n = set.features().size();
    int compared = 0;
    int nonNull = 0;
    for (int i = 0; i < d.size(); i++) {
      final String id = d.eventIds().get(i);
      assertThat(scorerSaw).containsKey(id);
      final FeatureVector v = scorerSaw.get(id);
      for (int c = 0; c < n; c++) {
        // No vector yet: the scorer's empty-history value (default, 0 for counts, else missing).
        final FeatureValue fv = v == null ? null : v.getFeatures().get(c);
        final double expected = v == null ? TrainingSetBuilder.emptyHistoryValue(set.features().get(c))
            : fv.getValue() == null ? Double.NaN : fv.getValue();
        assertThat(Double.doubleToRawLongBits(d.rows()[i][c]))
            .as("event %s feature %s", id, set.features().get(c).name())
            .isEqualTo(Double.doubleToRawLongBits(expected));
        compared++;
        nonNull += Double.isNaN(expected) ? 0 : 1;
      }
    }
    assertThat(compared).isEqualTo(d.size() * n);
    assertThat(nonNull).isGreaterThan(compared / 2);
    // The same rows come out whether the builder replays the events or reads the topology's vectors.
    assertThat(java.util.Arrays.deepEquals(fromTopology.dataset().rows(), d.rows())).isTrue();
    assertThat(fromTopology.dataset().labels()).isEqualTo(d.labels());
    assertThat(fromTopology.dataset().eventIds()).isEqualTo(d.eventIds());
  }
}
