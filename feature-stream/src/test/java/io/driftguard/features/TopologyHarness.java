package io.driftguard.features;

import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import io.driftguard.schemas.registry.InMemorySchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdeConfig;
import io.driftguard.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver around {@link FeatureTopology} with registry serdes on an in-memory registry. */
final class TopologyHarness implements AutoCloseable {
  final String scope = "features-" + UUID.randomUUID();
  final InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(scope);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final FeatureSet set;
  final TopologyTestDriver driver;
  final TestInputTopic<String, Transaction> events;
  final TestInputTopic<byte[], byte[]> rawEvents;
  final TestOutputTopic<String, FeatureVector> features;
  final TestOutputTopic<byte[], DeadLetter> deadLetters;
  private final Serializer<Transaction> txnSerializer;

  TopologyHarness(final FeatureSet set, final Path stateDir, final Instant wallClock) {
    this.set = set;
    final Serde<GenericRecord> eventSerde =
        AvroSerdes.generic(registry, false, set.eventSchema(), AvroSerdeConfig.defaults());
    final Serde<FeatureVector> vectorSerde = AvroSerdes.specific(FeatureVector.class, registry, false);
    final Serde<DeadLetter> deadLetterSerde = AvroSerdes.specific(DeadLetter.class, registry, false);
    final FeatureTopologyConfig config = new FeatureTopologyConfig(set, "events", "features", "dead-letters", null, null);
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "feature-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(
        FeatureTopology.build(config, eventSerde, vectorSerde, deadLetterSerde, meters), props, wallClock);
    txnSerializer = AvroSerdes.specific(Transaction.class, registry, false).serializer();
    events = driver.createInputTopic("events", new StringSerializer(), txnSerializer);
    rawEvents = driver.createInputTopic("events", new ByteArraySerializer(), new ByteArraySerializer());
    features = driver.createOutputTopic("features", new StringDeserializer(), vectorSerde.deserializer());
    deadLetters = driver.createOutputTopic("dead-letters", new ByteArrayDeserializer(),
        deadLetterSerde.deserializer());
  }

  /** Pipes a transaction keyed by its card with record timestamp = event time. */
  void pipe(final Transaction t) {
    events.pipeInput(t.getCardId(), t, t.getEventTime());
  }

  byte[] bytes(final Transaction t) {
    return txnSerializer.serialize("events", t);
  }

  double deadLetterCount(final String stage, final ReasonCode reason) {
    final var counter = meters.find(FeatureMetrics.DEAD_LETTERS).tag("stage", stage).tag("reason", reason.name())
        .counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    driver.close();
    InMemorySchemaRegistryClient.dropScope(scope);
  }
}
