package io.driftguard.features;

import io.driftguard.platform.app.SchemaRegistries;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.metrics.AppMetrics;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdeConfig;
import io.driftguard.schemas.serde.AvroSerdes;
import java.time.Clock;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.HostInfo;
import java.util.Objects;

/**
 * The feature-stream application: {@link FeatureTopology} on the platform's {@link StreamsApp} (exactly-once v2 by
 * default, dead-letter exception handlers, /metrics and /health) with {@code GET /features/{entityId}} mounted on the
 * same HTTP server. Call {@link StreamsApp#start()} on the result.
 */
public final class FeatureApp {
  private FeatureApp() {}

  /** Builds (does not start) the app for {@code featureSet} with the topics and registry from {@code config}. */
  public static StreamsApp create(final DriftguardConfig config, final FeatureSet featureSet) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(featureSet, "featureSet");
    final SchemaRegistryClient registry = SchemaRegistries.client(config.schemaRegistry());
    final TopicSpecs topics = TopicSpecs.create(config.topics(), registry);
    final AppMetrics metrics = AppMetrics.create(config.applicationId(), config.instanceId());
    final DeadLetters deadLetters = new DeadLetters(config.applicationId(), topics.deadLetters().name(),
        topics.deadLetters().valueSerde().serializer(), metrics.platform(), Clock.systemUTC());
    // Events are read into the feature set's own schema, so an older or newer writer resolves to the fields (and
    // defaults) the features were validated against.
    final Serde<GenericRecord> events =
        AvroSerdes.generic(registry, false, featureSet.eventSchema(), AvroSerdeConfig.defaults());
    final FeatureTopologyConfig topologyConfig = new FeatureTopologyConfig(featureSet, topics.events().name(),
        topics.features().name(), topics.deadLetters().name(), null, null);
    final StreamsApp app = StreamsApp.create(config, metrics, deadLetters,
        props -> FeatureTopology.build(topologyConfig, events, topics.features().valueSerde(),
            topics.deadLetters().valueSerde(), metrics.registry()));
    final String server = config.streams().applicationServer();
    final HostInfo self = server == null ? null : HostInfo.buildFromEndpoint(server);
    app.server().mount(FeatureQueryHandler.PATH,
        new FeatureQueryHandler(FeatureQueries.over(app.streams(), featureSet, self), Clock.systemUTC()));
    return app;
  }
}
