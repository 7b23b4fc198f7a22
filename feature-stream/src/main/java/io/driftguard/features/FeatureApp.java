package io.driftguard.features;

import io.driftguard.platform.app.SchemaRegistries;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.ConfigException;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.config.LoadedConfig;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.metrics.AppMetrics;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdeConfig;
import io.driftguard.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The feature-stream application: {@link FeatureTopology} on the platform's {@link StreamsApp} (exactly-once v2 by
 * default, dead-letter exception handlers, /metrics and /health) with {@code GET /features/{entityId}} mounted on the
 * same HTTP server. Call {@link StreamsApp#start()} on the result.
 *
 * <pre>{@code
 * LoadedConfig loaded = FeatureApp.configLoader(System.getenv()).load(Path.of("config/feature-stream.yaml"));
 * try (StreamsApp app = FeatureApp.create(loaded)) {
 *   app.start();
 *   app.awaitTermination();
 * }
 * }</pre>
 *
 * <p>For interactive queries across several instances set {@code streams.applicationServer} to the {@code host:port}
 * of this instance's metrics server (the same port as {@code metrics.port}): a query for an entity hosted elsewhere is
 * then redirected (307) there.
 */
public final class FeatureApp {
  /** The config section of feature-stream ({@link FeatureStreamSettings}). */
  public static final String SECTION = "features";

  private FeatureApp() {}

  /** A config loader with the {@value #SECTION} section registered and {@code env} as overrides. */
  public static ConfigLoader configLoader(final Map<String, String> env) {
    return ConfigLoader.withEnv(env).withSection(SECTION, FeatureStreamSettings.class);
  }

  /**
   * Builds (does not start) the app from a loaded config: the common settings plus the {@value #SECTION} section.
   *
   * @throws ConfigException naming {@code features.featureSet} or {@code features.eventSchema} when either cannot be
   *     read, or a {@link FeatureSetException} naming the feature and key when the set is invalid
   */
  public static StreamsApp create(final LoadedConfig loaded) {
    Objects.requireNonNull(loaded, "loaded");
    final FeatureStreamSettings settings = loaded.section(SECTION, FeatureStreamSettings.class);
    return create(loaded.common(), loadFeatureSet(settings), settings);
  }

  /** Builds (does not start) the app for {@code featureSet} with the topics and registry from {@code config}. */
  public static StreamsApp create(final DriftguardConfig config, final FeatureSet featureSet) {
    return create(config, featureSet, FeatureStreamSettings.defaults());
  }

  /** Builds (does not start) the app for {@code featureSet} with the intervals from {@code settings}. */
  public static StreamsApp create(final DriftguardConfig config, final FeatureSet featureSet,
      final FeatureStreamSettings settings) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(featureSet, "featureSet");
    Objects.requireNonNull(settings, "settings");
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
        topics.features().name(), topics.deadLetters().name(), settings.expiryInterval(),
        settings.slaCheckInterval(), settings.history());
    final StreamsApp app = StreamsApp.create(config, metrics, deadLetters,
        props -> FeatureTopology.build(topologyConfig, events, topics.features().valueSerde(),
            topics.deadLetters().valueSerde(), deadLetters, metrics.registry()));
    final String server = config.streams().applicationServer();
    final HostInfo self = server == null ? null : HostInfo.buildFromEndpoint(server);
    app.server().mount(FeatureQueryHandler.PATH,
        new FeatureQueryHandler(FeatureQueries.over(app.streams(), featureSet, self, settings.history()), Clock.systemUTC()));
    return app;
  }

  /** Reads and validates the feature set the settings name, with its event schema. */
  public static FeatureSet loadFeatureSet(final FeatureStreamSettings settings) {
    final String where = settings.featureSet();
    final String yaml;
    if (where.startsWith(FeatureStreamSettings.CLASSPATH)) {
      final String resource = where.substring(FeatureStreamSettings.CLASSPATH.length());
      try (InputStream in = FeatureApp.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new ConfigException(SECTION + ".featureSet", "classpath resource '" + resource + "' not found");
        }
        yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (final IOException e) {
        throw new ConfigException(SECTION + ".featureSet", "cannot read '" + resource + "': " + e.getMessage());
      }
    } else {
      try {
        yaml = Files.readString(Path.of(where), StandardCharsets.UTF_8);
      } catch (final IOException e) {
        throw new ConfigException(SECTION + ".featureSet", "cannot read file '" + where + "': " + e);
      }
    }
    return FeatureSetLoader.parse(yaml, eventSchema(settings, yaml, where), where);
  }

  private static Schema eventSchema(final FeatureStreamSettings settings, final String yaml, final String origin) {
    if (settings.eventSchema() != null) {
      try {
        return new Schema.Parser().parse(settings.eventSchema().toFile());
      } catch (final IOException | SchemaParseException e) {
        throw new ConfigException(SECTION + ".eventSchema",
            "cannot read an Avro schema from '" + settings.eventSchema() + "': " + e.getMessage());
      }
    }
    final String declared = FeatureSetLoader.declaredSchema(yaml, origin);
    if (declared == null) {
      throw new ConfigException(SECTION + ".eventSchema", "not set, and feature set '" + origin
          + "' names no 'schema:' class; give the path of the events' .avsc");
    }
    try {
      return SpecificData.get().getSchema(Class.forName(declared, true, FeatureApp.class.getClassLoader()));
    } catch (final ClassNotFoundException | RuntimeException e) {
      throw new ConfigException(SECTION + ".eventSchema", "not set, and the class '" + declared
          + "' that feature set '" + origin + "' names in 'schema:' is not a generated Avro class on the classpath; "
          + "give the path of the events' .avsc");
    }
  }
}
