package io.driftguard.model.train;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.driftguard.model.Dataset;
import io.driftguard.model.ConfigText;
import io.driftguard.model.Json;
import io.driftguard.model.Sha256;
import io.driftguard.model.bundle.MissingPolicy;
import io.driftguard.model.gates.Gate;
import io.driftguard.model.gates.Gates;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything one training run needs, declared before training: XGBoost parameters, the time split,
 * calibration, per-feature missing policy, promotion gates and the iteration compact.
 *
 * <p>Load with {@link #load(Path)} or {@link #parse(String)}; an unknown key, a bad value or a missing
 * required key fails with a message naming the key.
 */
@JsonPropertyOrder({"modelName", "xgboost", "split", "calibration", "missingPolicy", "gates", "compact"})
public record TrainingConfig(
    String modelName,
    XgbParams xgboost,
    SplitSpec split,
    String calibration,
    MissingPolicyConfig missingPolicy,
    List<String> gates,
    IterationCompact compact) {

  /** Keys without which a config is refused, in the order they are reported. */
  static final List<String> REQUIRED_KEYS = List.of(
      "compact.goal", "compact.successMetric", "compact.mistakeBudget", "compact.rollbackPlan");

  public TrainingConfig {
    modelName = requireText(modelName, "modelName");
    if (!modelName.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("modelName '" + modelName
          + "' may only contain letters, digits, '.', '_' and '-'");
    }
    xgboost = xgboost == null ? XgbParams.defaults() : xgboost;
    split = split == null ? new SplitSpec(null, null, 0.2, 0.2) : split;
    calibration = calibration == null ? "platt" : calibration.toLowerCase(Locale.ROOT);
    if (!calibration.equals("platt") && !calibration.equals("isotonic")) {
      throw new IllegalArgumentException("calibration must be 'platt' or 'isotonic', was '" + calibration + "'");
    }
    missingPolicy = missingPolicy == null ? new MissingPolicyConfig(null, null) : missingPolicy;
    gates = gates == null ? List.of() : List.copyOf(gates);
    Gates.parseAll(gates);
    if (compact == null) {
      throw new IllegalArgumentException("missing required key(s): " + String.join(", ", REQUIRED_KEYS));
    }
  }

  @JsonIgnore
  public MistakeBudget mistakeBudget() {
    return MistakeBudget.parse(compact.mistakeBudget());
  }

  @JsonIgnore
  public List<Gate> parsedGates() {
    return Gates.parseAll(gates);
  }

  /** SHA-256 of the canonical JSON form, so formatting and comments in the YAML do not matter. */
  @JsonIgnore
  public String configHash() {
    try {
      return Sha256.of(Json.json().writeValueAsBytes(this));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise training config", e);
    }
  }

  public static TrainingConfig load(final Path path) throws IOException {
    return ConfigText.load(path, "training config", TrainingConfig::parse);
  }

  public static TrainingConfig parse(final String yaml) {
    final JsonNode tree = ConfigText.yamlMapping(yaml, "training config");
    final List<String> missing = new ArrayList<>();
    for (final String key : REQUIRED_KEYS) {
      final JsonNode node = tree.at("/" + key.replace('.', '/'));
      if (node.isMissingNode() || node.isNull() || node.asText().isBlank()) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("missing required key(s): " + String.join(", ", missing));
    }
    try {
      return Json.yaml().treeToValue(tree, TrainingConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException("unknown key '" + path(e) + "'", e);
    } catch (JsonMappingException e) {
      final IllegalArgumentException cause = outermostIllegalArgument(e);
      if (cause != null) {
        throw new IllegalArgumentException(cause.getMessage(), e);
      }
      throw new IllegalArgumentException("bad value at '" + path(e) + "': " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  private static String path(final JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  /** The validation error our compact constructors threw, which Jackson wraps. */
  private static IllegalArgumentException outermostIllegalArgument(final Throwable t) {
    Throwable c = t;
    while (c != null) {
      if (c instanceof IllegalArgumentException iae) {
        return iae;
      }
      c = c.getCause() == c ? null : c.getCause();
    }
    return null;
  }

  static String requireText(final String value, final String key) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing required key '" + key + "'");
    }
    return value.strip();
  }

  /**
   * XGBoost parameters. {@code objective} is fixed to binary:logistic and {@code treeMethod} to hist:
   * with a fixed seed and thread count those make training byte-for-byte repeatable.
   */
  @JsonPropertyOrder({"objective", "treeMethod", "maxDepth", "eta", "rounds", "seed", "nthread",
      "minChildWeight", "subsample", "colsampleBytree", "lambda"})
  public record XgbParams(String objective, String treeMethod, Integer maxDepth, Double eta, Integer rounds,
      Integer seed, Integer nthread, Double minChildWeight, Double subsample, Double colsampleBytree,
      Double lambda) {

    public XgbParams {
      objective = objective == null ? "binary:logistic" : objective;
      if (!objective.equals("binary:logistic")) {
        throw new IllegalArgumentException("xgboost.objective must be binary:logistic, was '" + objective + "'");
      }
      treeMethod = treeMethod == null ? "hist" : treeMethod;
      if (!treeMethod.equals("hist")) {
        throw new IllegalArgumentException("xgboost.treeMethod must be hist (deterministic), was '" + treeMethod + "'");
      }
      maxDepth = checkRange(maxDepth == null ? 4 : maxDepth, 1, 16, "xgboost.maxDepth");
      eta = checkRange(eta == null ? 0.1 : eta, 1e-6, 1.0, "xgboost.eta");
      rounds = checkRange(rounds == null ? 100 : rounds, 1, 10_000, "xgboost.rounds");
      seed = seed == null ? 42 : seed;
      nthread = checkRange(nthread == null ? 1 : nthread, 1, 64, "xgboost.nthread");
      minChildWeight = checkRange(minChildWeight == null ? 1.0 : minChildWeight, 0.0, 1e6, "xgboost.minChildWeight");
      subsample = checkRange(subsample == null ? 1.0 : subsample, 1e-6, 1.0, "xgboost.subsample");
      colsampleBytree = checkRange(colsampleBytree == null ? 1.0 : colsampleBytree, 1e-6, 1.0,
          "xgboost.colsampleBytree");
      lambda = checkRange(lambda == null ? 1.0 : lambda, 0.0, 1e6, "xgboost.lambda");
    }

    public static XgbParams defaults() {
      return new XgbParams(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The parameter map in xgboost4j's names. */
    Map<String, Object> toBoosterParams() {
      final Map<String, Object> p = new LinkedHashMap<>();
      p.put("objective", objective);
      p.put("tree_method", treeMethod);
      p.put("max_depth", maxDepth);
      p.put("eta", eta);
      p.put("seed", seed);
      p.put("nthread", nthread);
      p.put("min_child_weight", minChildWeight);
      p.put("subsample", subsample);
      p.put("colsample_bytree", colsampleBytree);
      p.put("lambda", lambda);
      p.put("eval_metric", "logloss");
      p.put("verbosity", 0);
      return p;
    }

    private static <T extends Comparable<T>> T checkRange(final T v, final T min, final T max, final String key) {
      if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
        throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], was " + v);
      }
      return v;
    }
  }

  /**
   * The time split: either explicit cut instants ({@code validationFrom < testFrom}) or fractions of the
   * time-ordered rows. Rows never move across a cut at random; equal event times stay together.
   */
  @JsonPropertyOrder({"validationFrom", "testFrom", "validationFraction", "testFraction"})
  public record SplitSpec(String validationFrom, String testFrom, Double validationFraction, Double testFraction) {

    public SplitSpec {
      final boolean byTime = validationFrom != null || testFrom != null;
      final boolean byFraction = validationFraction != null || testFraction != null;
      if (byTime && byFraction) {
        throw new IllegalArgumentException("split: give either validationFrom/testFrom or "
            + "validationFraction/testFraction, not both");
      }
      if (byTime) {
        final Instant v = instant(validationFrom, "split.validationFrom");
        final Instant t = instant(testFrom, "split.testFrom");
        if (!v.isBefore(t)) {
          throw new IllegalArgumentException("split.validationFrom must be before split.testFrom");
        }
      } else {
        validationFraction = validationFraction == null ? 0.2 : validationFraction;
        testFraction = testFraction == null ? 0.2 : testFraction;
        if (!(validationFraction > 0 && testFraction > 0 && validationFraction + testFraction < 1.0)) {
          throw new IllegalArgumentException("split.validationFraction and split.testFraction must be > 0 "
              + "and sum to < 1, were " + validationFraction + " and " + testFraction);
        }
      }
    }

    private static Instant instant(final String s, final String key) {
      if (s == null) {
        throw new IllegalArgumentException("missing required key '" + key + "'");
      }
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(key + " must be an ISO-8601 instant, was '" + s + "'", e);
      }
    }

    /** Cut points {validationFrom, testFrom} in epoch ms for this dataset. */
    long[] cuts(final Dataset dataset) {
      if (validationFrom != null) {
        return new long[] {Instant.parse(validationFrom).toEpochMilli(), Instant.parse(testFrom).toEpochMilli()};
      }
      final long[] sorted = dataset.eventTimes().clone();
      Arrays.sort(sorted);
      final int n = sorted.length;
      final long v = sorted[Math.min(n - 1, (int) Math.floor(n * (1.0 - validationFraction - testFraction)))];
      final long t = sorted[Math.min(n - 1, (int) Math.floor(n * (1.0 - testFraction)))];
      return new long[] {v, t};
    }
  }

  /** Default missing/stale-feature policy plus per-feature overrides. */
  @JsonPropertyOrder({"defaultPolicy", "features"})
  public record MissingPolicyConfig(MissingPolicy defaultPolicy, Map<String, MissingPolicy> features) {
    public MissingPolicyConfig {
      defaultPolicy = defaultPolicy == null ? MissingPolicy.IMPUTE : defaultPolicy;
      features = features == null ? Map.of() : Map.copyOf(features);
    }

    MissingPolicy policyFor(final String feature) {
      return features.getOrDefault(feature, defaultPolicy);
    }
  }

  /**
   * The iteration compact: why this model exists and how it may fail. Goal, success metric, mistake
   * budget and rollback plan are required.
   */
  @JsonPropertyOrder({"goal", "whoCares", "decisionOwner", "successMetric", "guardrailMetrics",
      "mistakeBudget", "unacceptableMistakes", "acceptableMistakes", "assumptions", "labelSource", "labelDelay",
      "evalSlices", "knownRisks", "rollbackPlan"})
  public record IterationCompact(String goal, String whoCares, String decisionOwner, String successMetric,
      List<String> guardrailMetrics, String mistakeBudget, String unacceptableMistakes, String acceptableMistakes,
      List<String> assumptions, String labelSource, String labelDelay, List<String> evalSlices,
      List<String> knownRisks, String rollbackPlan) {

    public IterationCompact {
      goal = requireText(goal, "compact.goal");
      successMetric = requireText(successMetric, "compact.successMetric");
      mistakeBudget = requireText(mistakeBudget, "compact.mistakeBudget");
      MistakeBudget.parse(mistakeBudget);
      rollbackPlan = requireText(rollbackPlan, "compact.rollbackPlan");
      guardrailMetrics = guardrailMetrics == null ? List.of() : List.copyOf(guardrailMetrics);
      assumptions = assumptions == null ? List.of() : List.copyOf(assumptions);
      evalSlices = evalSlices == null ? List.of() : List.copyOf(evalSlices);
      knownRisks = knownRisks == null ? List.of() : List.copyOf(knownRisks);
      if (labelDelay != null) {
        parseDuration(labelDelay, "compact.labelDelay");
      }
    }

    /** Heading to text, in the compact's order, for reports. Absent entries are left out. */
    public Map<String, String> asOrderedMap() {
      final Map<String, String> m = new LinkedHashMap<>();
      put(m, "Goal", goal);
      put(m, "Who cares", whoCares);
      put(m, "Decision owner", decisionOwner);
      put(m, "Success metric", successMetric);
      put(m, "Guardrail metrics", String.join(", ", guardrailMetrics));
      put(m, "Mistake budget", mistakeBudget);
      put(m, "Unacceptable mistakes", unacceptableMistakes);
      put(m, "Acceptable mistakes", acceptableMistakes);
      put(m, "Assumptions", String.join("; ", assumptions));
      put(m, "Label source", labelSource);
      put(m, "Label delay", labelDelay);
      put(m, "Eval slices", String.join(", ", evalSlices));
      put(m, "Known risks", String.join("; ", knownRisks));
      put(m, "Rollback plan", rollbackPlan);
      return m;
    }

    private static void put(final Map<String, String> m, final String k, final String v) {
      if (v != null && !v.isBlank()) {
        m.put(k, v);
      }
    }
  }

  /** Parses ISO-8601 ({@code PT6H}) or short ({@code 90s}, {@code 5m}, {@code 6h}, {@code 2d}) durations. */
  static Duration parseDuration(final String text, final String key) {
    return ConfigText.duration(text, key);
  }
}
