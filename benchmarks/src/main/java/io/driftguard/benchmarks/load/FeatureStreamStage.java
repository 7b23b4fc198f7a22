package io.driftguard.benchmarks.load;

import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import io.driftguard.features.FeatureSet;
import io.driftguard.features.FeatureTopology;
import io.driftguard.features.FeatureTopologyConfig;
import io.driftguard.platform.config.StreamsSettings;
import io.driftguard.schemas.registry.RestSchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real feature topology ({@link FeatureTopology}) with the demo feature set on Avro Transactions, under
 * exactly_once_v2 and one stream thread like {@code streams-eos}: deserialize through the registry, validate the
 * contract, update the persistent stores, serialize a {@code FeatureVector}. Every input is valid, so the harness
 * expects one vector per event; a dead letter would leave the count short and fail the run.
 *
 * <p>It runs with the feature app's own defaults, not Streams': commit interval
 * {@link StreamsSettings#DEFAULT_COMMIT_INTERVAL}, record cache {@link StreamsSettings#DEFAULT_CACHE_MAX_BYTES} and
 * vector history {@link FeatureTopologyConfig#DEFAULT_HISTORY}. The system properties {@value #HISTORY_PROPERTY},
 * {@value #COMMIT_PROPERTY} (ms) and {@value #CACHE_PROPERTY} (bytes) override them for one harness JVM.
 */
final class FeatureStreamStage extends StreamsStage {
  static final String NAME = "features";
  static final String HISTORY_PROPERTY = "driftguard.bench.features.history";
  static final String COMMIT_PROPERTY = "driftguard.bench.features.commitMs";
  static final String CACHE_PROPERTY = "driftguard.bench.features.cacheBytes";

  private static final Logger LOG = LoggerFactory.getLogger(FeatureStreamStage.class);

  private SchemaRegistryClient registry;

  @Override
  public String name() {
    return NAME;
  }

  private static String settings() {
    return "history=" + history() + ", commit.interval.ms=" + commitMs() + ", statestore.cache.max.bytes="
        + cacheBytes();
  }

  private static boolean history() {
    final String v = System.getProperty(HISTORY_PROPERTY);
    if (v == null) {
      return FeatureTopologyConfig.DEFAULT_HISTORY;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(HISTORY_PROPERTY + ": expected true or false, got '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  private static long commitMs() {
    return Long.getLong(COMMIT_PROPERTY, StreamsSettings.DEFAULT_COMMIT_INTERVAL.toMillis());
  }

  private static long cacheBytes() {
    return Long.getLong(CACHE_PROPERTY, StreamsSettings.DEFAULT_CACHE_MAX_BYTES);
  }

  @Override
  void configure(final Properties props) {
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs());
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheBytes());
  }

  @Override
  Topology topology(final StageContext context, final Properties props) {
    if (context.schemaRegistryUrl() == null) {
      throw new IllegalArgumentException("stage '" + NAME + "' needs a schema registry: run with --input transactions");
    }
    LOG.info("run {}: feature stage with {}", context.runId(), settings());
    final FeatureSet set = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema());
    registry = RestSchemaRegistryClient.of(context.schemaRegistryUrl());
    final FeatureTopologyConfig config = new FeatureTopologyConfig(set, context.inputTopic(), outputTopic(context),
        "bench-dead-letters-" + context.runId(), null, null, history());
    return FeatureTopology.build(config, AvroSerdes.generic(registry, false),
        AvroSerdes.specific(FeatureVector.class, registry, false),
        AvroSerdes.specific(DeadLetter.class, registry, false), new SimpleMeterRegistry());
  }

  @Override
  void closeResources() {
    if (registry != null) {
      registry.close();
    }
  }
}
