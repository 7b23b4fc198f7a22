package io.driftguard.benchmarks.load;

import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import io.driftguard.features.FeatureSet;
import io.driftguard.features.FeatureTopology;
import io.driftguard.features.FeatureTopologyConfig;
import io.driftguard.schemas.registry.RestSchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * The real feature topology ({@link FeatureTopology}) with the demo feature set on Avro Transactions, under
 * exactly_once_v2 and one stream thread like {@code streams-eos}: deserialize through the registry, validate the
 * contract, update three persistent stores, serialize a {@code FeatureVector}. Every input is valid, so the harness
 * expects one vector per event; a dead letter would leave the count short and fail the run.
 */
final class FeatureStreamStage implements LoadStage {
  static final String NAME = "features";

  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private KafkaStreams streams;
  private SchemaRegistryClient registry;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(final StageContext context) {
    if (context.schemaRegistryUrl() == null) {
      throw new IllegalArgumentException("stage '" + NAME + "' needs a schema registry: run with --input transactions");
    }
    final FeatureSet set = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema());
    registry = RestSchemaRegistryClient.of(context.schemaRegistryUrl());
    final FeatureTopologyConfig config = new FeatureTopologyConfig(set, context.inputTopic(), outputTopic(context),
        "bench-dead-letters-" + context.runId(), null, null);
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-features-" + context.runId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, context.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.STATE_DIR_CONFIG, context.stateDir().toString());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    final Topology topology = FeatureTopology.build(config, AvroSerdes.generic(registry, false),
        AvroSerdes.specific(FeatureVector.class, registry, false),
        AvroSerdes.specific(DeadLetter.class, registry, false), new SimpleMeterRegistry());
    streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(e -> {
      failure.set(e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
  }

  @Override
  public void checkHealthy() {
    if (failure.get() != null) {
      throw new IllegalStateException("feature stage failed: " + failure.get().getMessage(), failure.get());
    }
    if (streams != null && streams.state() == KafkaStreams.State.ERROR) {
      throw new IllegalStateException("feature stage is in state ERROR");
    }
  }

  @Override
  public void stop() {
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
    if (registry != null) {
      registry.close();
    }
    checkHealthy();
  }
}
