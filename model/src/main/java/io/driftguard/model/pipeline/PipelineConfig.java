package io.driftguard.model.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.avro.Transaction;
import io.driftguard.features.FeatureSet;
import io.driftguard.model.ConfigText;
import io.driftguard.model.Json;
import io.driftguard.model.dataset.TrainingSetConfig;
import io.driftguard.model.synth.SynthConfig;
import io.driftguard.model.train.TrainingConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * One YAML file for a whole training run. It is a training config ({@link TrainingConfig}: model name, XGBoost,
 * split, calibration, missing policy, gates, iteration compact) plus four pipeline sections:
 *
 * <pre>
 * featureSet: classpath:features/transactions.yaml   # optional; a file path or classpath: resource
 * generator: {seed: 42, cards: 600, start: 2026-01-01T00:00:00Z, duration: 21d}   # optional default data source
 * trainingSet: {labelCutoff: ..., eventFields: [...], ...}                        # required, see TrainingSetConfig
 * evaluation: {bootstrapResamples: 200, seed: 17, latencyRows: 256}               # optional
 * </pre>
 *
 * @param featureSetLocation {@code classpath:<resource>} or a file path
 * @param generator the generator used when the run names no data source, or null
 * @param trainingSet how the training set is cut
 * @param evaluation bootstrap and latency settings of the report
 * @param training the training config proper
 */
public record PipelineConfig(String featureSetLocation, SynthConfig generator, TrainingSetConfig trainingSet,
    EvaluationSettings evaluation, TrainingConfig training) {

  public static final String DEFAULT_FEATURE_SET = "classpath:" + FeatureSet.TRANSACTIONS_RESOURCE;
  /** The checked-in demo config. */
  public static final String DEMO_RESOURCE = "training/demo-fraud.yaml";

  private static final Set<String> GENERATOR_KEYS = Set.of("seed", "cards", "start", "duration", "eventsPerCardDay",
      "merchants", "labelDelayMedian", "labelDelaySigma", "missingLabelFraction");
  private static final Set<String> EVALUATION_KEYS = Set.of("bootstrapResamples", "seed", "latencyRows");

  /**
   * @param bootstrapResamples resamples for every confidence interval (0 disables them)
   * @param seed bootstrap seed
   * @param latencyRows test rows used by the latency probe and as the batch size
   */
  public record EvaluationSettings(int bootstrapResamples, long seed, int latencyRows) {
    public EvaluationSettings {
      if (bootstrapResamples < 0) {
        throw new IllegalArgumentException("evaluation.bootstrapResamples must be >= 0, was " + bootstrapResamples);
      }
      if (latencyRows < 1) {
        throw new IllegalArgumentException("evaluation.latencyRows must be >= 1, was " + latencyRows);
      }
    }

    public static EvaluationSettings defaults() {
      return new EvaluationSettings(200, 17L, 256);
    }
  }

  public PipelineConfig {
    featureSetLocation = featureSetLocation == null ? DEFAULT_FEATURE_SET : featureSetLocation;
    Objects.requireNonNull(trainingSet, "trainingSet");
    evaluation = evaluation == null ? EvaluationSettings.defaults() : evaluation;
    Objects.requireNonNull(training, "training");
  }

  /** Loads the feature set this config names, against the Transaction schema. */
  public FeatureSet featureSet() {
    if (featureSetLocation.startsWith("classpath:")) {
      return FeatureSet.loadResource(featureSetLocation.substring("classpath:".length()),
          Transaction.getClassSchema());
    }
    return FeatureSet.load(Path.of(featureSetLocation), Transaction.getClassSchema());
  }

  public PipelineConfig withEvaluation(final EvaluationSettings settings) {
    return new PipelineConfig(featureSetLocation, generator, trainingSet, settings, training);
  }

  public PipelineConfig withGenerator(final SynthConfig config) {
    return new PipelineConfig(featureSetLocation, config, trainingSet, evaluation, training);
  }

  public static PipelineConfig load(final Path path) throws IOException {
    return ConfigText.load(path, "training config", PipelineConfig::parse);
  }

  /** Loads a config from the classpath, e.g. {@link #DEMO_RESOURCE}. */
  public static PipelineConfig loadResource(final String resource) throws IOException {
    try (InputStream in = PipelineConfig.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("training config resource '" + resource + "' not found on the classpath");
      }
      try {
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid training config " + resource + ": " + e.getMessage(), e);
      }
    }
  }

  public static PipelineConfig parse(final String yaml) {
    final JsonNode tree = ConfigText.yamlMapping(yaml, "training config");
    final ObjectNode rest = ((ObjectNode) tree).deepCopy();
    final JsonNode featureSet = rest.remove("featureSet");
    final JsonNode generator = rest.remove("generator");
    final JsonNode trainingSet = rest.remove("trainingSet");
    final JsonNode evaluation = rest.remove("evaluation");
    if (trainingSet == null || trainingSet.isNull()) {
      throw new IllegalArgumentException("missing required key 'trainingSet'");
    }
    final String trainingYaml;
    try {
      trainingYaml = Json.yaml().writeValueAsString(rest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot re-serialise the training section", e);
    }
    return new PipelineConfig(
        featureSet == null || featureSet.isNull() ? null : featureSet.asText(),
        generator == null || generator.isNull() ? null : generator(generator),
        TrainingSetConfig.fromYaml(trainingSet),
        evaluation == null || evaluation.isNull() ? null : evaluation(evaluation),
        TrainingConfig.parse(trainingYaml));
  }

  private static SynthConfig generator(final JsonNode node) {
    requireKeys(node, "generator", GENERATOR_KEYS);
    final SynthConfig.Builder b = SynthConfig.builder();
    if (node.has("seed")) {
      b.seed(number(node, "generator", "seed").longValue());
    }
    if (node.has("cards")) {
      b.cards(number(node, "generator", "cards").intValue());
    }
    if (node.has("start")) {
      b.start(instant(node.get("start").asText(), "generator.start"));
    }
    if (node.has("duration")) {
      b.duration(duration(node.get("duration").asText(), "generator.duration"));
    }
    if (node.has("eventsPerCardDay")) {
      b.eventsPerCardDay(number(node, "generator", "eventsPerCardDay").doubleValue());
    }
    if (node.has("merchants")) {
      b.merchants(number(node, "generator", "merchants").intValue());
    }
    if (node.has("labelDelayMedian")) {
      b.labelDelayMedian(duration(node.get("labelDelayMedian").asText(), "generator.labelDelayMedian"));
    }
    if (node.has("labelDelaySigma")) {
      b.labelDelaySigma(number(node, "generator", "labelDelaySigma").doubleValue());
    }
    if (node.has("missingLabelFraction")) {
      b.missingLabelFraction(number(node, "generator", "missingLabelFraction").doubleValue());
    }
    try {
      return b.build();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("generator: " + e.getMessage(), e);
    }
  }

  private static EvaluationSettings evaluation(final JsonNode node) {
    requireKeys(node, "evaluation", EVALUATION_KEYS);
    final EvaluationSettings d = EvaluationSettings.defaults();
    return new EvaluationSettings(
        node.has("bootstrapResamples") ? number(node, "evaluation", "bootstrapResamples").intValue()
            : d.bootstrapResamples(),
        node.has("seed") ? number(node, "evaluation", "seed").longValue() : d.seed(),
        node.has("latencyRows") ? number(node, "evaluation", "latencyRows").intValue() : d.latencyRows());
  }

  private static void requireKeys(final JsonNode node, final String section, final Set<String> known) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(section + " must be a YAML mapping");
    }
    for (final Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      final String key = it.next();
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + section + "." + key + "'; known keys: "
            + known.stream().sorted().toList());
      }
    }
  }

  private static Number number(final JsonNode node, final String section, final String key) {
    final JsonNode v = node.get(key);
    if (!v.isNumber()) {
      throw new IllegalArgumentException(section + "." + key + " must be a number, was " + v);
    }
    return v.numberValue();
  }

  private static Instant instant(final String s, final String key) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(key + " must be an ISO-8601 instant, was '" + s + "'", e);
    }
  }

  private static Duration duration(final String text, final String key) {
    return ConfigText.duration(text, key);
  }
}
