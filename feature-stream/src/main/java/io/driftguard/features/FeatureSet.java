package io.driftguard.features;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A validated feature set: which events it reads, how it keys and times them, its data contract and its features.
 * Load one with {@link #load(Path, Schema)} or {@link #parse(String, Schema)}; the loader refuses anything the engine
 * could not compute exactly, with a message naming the feature and key.
 *
 * @param name feature-set name, stamped on every vector
 * @param eventSchema the Avro schema of the events (field paths are resolved against it)
 * @param entityKeyField string field holding the entity id (also the Kafka key of the events topic)
 * @param timestampField long/timestamp-millis field holding the event time
 * @param eventIdField string field holding the event id, or null
 * @param maxFutureSkew how far past the supplied clock an event time may be before it is refused as FUTURE_TIMESTAMP
 * @param idleTtl an entity whose newest event is older than stream time minus this is forgotten
 * @param constraints data-contract constraints by field path, in declaration order
 * @param features features in declaration order (the order of every vector)
 * @param hash hex SHA-256 of the canonical form of the definition
 */
public record FeatureSet(
    String name,
    Schema eventSchema,
    String entityKeyField,
    String timestampField,
    String eventIdField,
    Duration maxFutureSkew,
    Duration idleTtl,
    Map<String, Constraint> constraints,
    List<FeatureDef> features,
    String hash) {

  /** Classpath location of the demo Transaction feature set. */
  public static final String TRANSACTIONS_RESOURCE = "features/transactions.yaml";

  public FeatureSet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(eventSchema, "eventSchema");
    Objects.requireNonNull(entityKeyField, "entityKeyField");
    Objects.requireNonNull(timestampField, "timestampField");
    Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    Objects.requireNonNull(idleTtl, "idleTtl");
    Objects.requireNonNull(hash, "hash");
    constraints = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(constraints));
    features = List.copyOf(features);
    if (features.isEmpty()) {
      throw new IllegalArgumentException("feature set '" + name + "' has no features");
    }
  }

  /** Loads and validates a YAML feature set from a file. */
  public static FeatureSet load(final Path yaml, final Schema eventSchema) {
    try {
      return FeatureSetLoader.parse(Files.readString(yaml, StandardCharsets.UTF_8), eventSchema, yaml.toString());
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot read feature set " + yaml, e);
    }
  }

  /** Loads and validates a YAML feature set from the classpath, e.g. {@link #TRANSACTIONS_RESOURCE}. */
  public static FeatureSet loadResource(final String resource, final Schema eventSchema) {
    try (InputStream in = FeatureSet.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new FeatureSetException("feature set resource '" + resource + "' not found on the classpath");
      }
      return FeatureSetLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), eventSchema, resource);
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot read feature set resource " + resource, e);
    }
  }

  /** Parses and validates YAML text. */
  public static FeatureSet parse(final String yaml, final Schema eventSchema) {
    return FeatureSetLoader.parse(yaml, eventSchema, "<text>");
  }

  /** Feature names in vector order. */
  public List<String> featureNames() {
    return features.stream().map(FeatureDef::name).toList();
  }

  /** The feature with this name, if declared. */
  public Optional<FeatureDef> feature(final String featureName) {
    return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
  }

  /** Largest grace of any window: events older than stream time minus this are LATE. */
  public Duration maxGrace() {
    return features.stream().map(FeatureDef::window).filter(Objects::nonNull).map(WindowSpec::grace)
        .max(Duration::compareTo).orElse(Duration.ZERO);
  }

  /** Largest window size. */
  public Duration maxWindow() {
    return features.stream().map(FeatureDef::window).filter(Objects::nonNull).map(WindowSpec::size)
        .max(Duration::compareTo).orElse(Duration.ZERO);
  }

  /** How long raw rows are kept behind stream time: largest window plus largest grace. */
  public Duration retention() {
    return maxWindow().plus(maxGrace());
  }
}
