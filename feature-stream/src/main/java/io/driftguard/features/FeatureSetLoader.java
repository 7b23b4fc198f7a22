package io.driftguard.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Schema;

/** Reads feature-set YAML into a validated {@link FeatureSet}; every refusal names the feature and key. */
final class FeatureSetLoader {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private static final Set<String> TOP_KEYS = Set.of(
      "name", "schema", "entityKey", "timestamp", "eventId", "maxFutureSkew", "idleTtl", "constraints", "features");
  private static final Set<String> FEATURE_KEYS = Set.of("name", "source", "aggregation", "filter", "window",
      "freshnessSla", "default", "numerator", "denominator", "exactLimit");
  private static final Set<String> WINDOW_KEYS = Set.of("type", "size", "advance", "grace");
  private static final Set<String> CONSTRAINT_KEYS = Set.of("required", "min", "max", "allowed");
  static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);

  private FeatureSetLoader() {}

  static FeatureSet parse(final String yaml, final Schema schema, final String origin) {
    final JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (final JsonProcessingException e) {
      throw new FeatureSetException(origin + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new FeatureSetException(origin + ": a feature set must be a YAML mapping");
    }
    if (schema == null) {
      throw new FeatureSetException(origin + ": no event schema given");
    }
    checkKeys(root, TOP_KEYS, "feature set");
    final String name = requiredText(root, "name", "feature set");
    final String where = "feature set '" + name + "'";
    if (root.has("schema") && !text(root, "schema", where).equals(schema.getFullName())) {
      throw new FeatureSetException(where + ": key 'schema': '" + root.get("schema").asText()
          + "' does not match the event schema " + schema.getFullName());
    }
    final String entityKey = requiredText(root, "entityKey", where);
    final FieldPath.Resolved key = resolve(schema, entityKey, where + ": key 'entityKey'");
    if (key.type() != Schema.Type.STRING || key.nullable() || key.pii()) {
      throw new FeatureSetException(where + ": key 'entityKey': field '" + entityKey
          + "' must be a non-null, non-PII string, is " + describe(key));
    }
    final String timestamp = requiredText(root, "timestamp", where);
    final FieldPath.Resolved ts = resolve(schema, timestamp, where + ": key 'timestamp'");
    if (ts.type() != Schema.Type.LONG || ts.nullable()) {
      throw new FeatureSetException(where + ": key 'timestamp': field '" + timestamp
          + "' must be a non-null long (epoch ms), is " + describe(ts));
    }
    final String eventId = root.has("eventId") ? text(root, "eventId", where) : null;
    if (eventId != null) {
      final FieldPath.Resolved id = resolve(schema, eventId, where + ": key 'eventId'");
      if (id.type() != Schema.Type.STRING || id.pii()) {
        throw new FeatureSetException(where + ": key 'eventId': field '" + eventId
            + "' must be a non-PII string, is " + describe(id));
      }
    }
    final Duration skew = root.has("maxFutureSkew")
        ? duration(root.get("maxFutureSkew"), where + ": key 'maxFutureSkew'") : DEFAULT_MAX_FUTURE_SKEW;
    final Map<String, Constraint> constraints = constraints(root.get("constraints"), schema, where);
    final List<FeatureDef> features = features(root.get("features"), schema, where);

    final Duration maxWindow = features.stream().map(FeatureDef::window).filter(w -> w != null)
        .map(WindowSpec::size).max(Duration::compareTo).orElse(Duration.ZERO);
    final Duration maxGrace = features.stream().map(FeatureDef::window).filter(w -> w != null)
        .map(WindowSpec::grace).max(Duration::compareTo).orElse(Duration.ZERO);
    final Duration retention = maxWindow.plus(maxGrace);
    final Duration idleTtl;
    if (root.has("idleTtl")) {
      idleTtl = duration(root.get("idleTtl"), where + ": key 'idleTtl'");
      if (idleTtl.compareTo(retention) < 0 || idleTtl.isZero()) {
        throw new FeatureSetException(where + ": key 'idleTtl': " + idleTtl
            + " is shorter than the largest window plus grace (" + retention + ")");
      }
    } else {
      idleTtl = retention.isZero() ? Duration.ofDays(1) : retention;
    }
    final String hash = hash(name, schema, entityKey, timestamp, eventId, skew, idleTtl, constraints, features);
    return new FeatureSet(name, schema, entityKey, timestamp, eventId, skew, idleTtl, constraints, features, hash);
  }

  private static Map<String, Constraint> constraints(final JsonNode node, final Schema schema, final String where) {
    final Map<String, Constraint> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new FeatureSetException(where + ": key 'constraints' must be a mapping of field to constraint");
    }
    final Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      final Map.Entry<String, JsonNode> e = it.next();
      final String at = where + ": constraint '" + e.getKey() + "'";
      final FieldPath.Resolved field = resolve(schema, e.getKey(), at);
      final JsonNode c = e.getValue();
      if (c == null || !c.isObject()) {
        throw new FeatureSetException(at + " must be a mapping with required/min/max/allowed");
      }
      checkKeys(c, CONSTRAINT_KEYS, at);
      final Double min = number(c, "min", at);
      final Double max = number(c, "max", at);
      if ((min != null || max != null) && !field.numeric()) {
        throw new FeatureSetException(at + ": key 'min'/'max' needs a numeric field, is " + describe(field));
      }
      final List<String> allowed = new ArrayList<>();
      if (c.has("allowed")) {
        if (!c.get("allowed").isArray()) {
          throw new FeatureSetException(at + ": key 'allowed' must be a list");
        }
        c.get("allowed").forEach(v -> allowed.add(v.asText()));
      }
      final boolean required = c.has("required") && bool(c, "required", at);
      try {
        out.put(e.getKey(), new Constraint(required, min, max, allowed));
      } catch (final IllegalArgumentException ex) {
        throw new FeatureSetException(at + ": " + ex.getMessage(), ex);
      }
    }
    return out;
  }

  private static List<FeatureDef> features(final JsonNode node, final Schema schema, final String where) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new FeatureSetException(where + ": key 'features' must be a non-empty list");
    }
    final List<JsonNode> nodes = new ArrayList<>();
    node.forEach(nodes::add);
    final Map<String, Aggregation> declared = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      final JsonNode f = nodes.get(i);
      if (!f.isObject()) {
        throw new FeatureSetException(where + ": features[" + i + "] must be a mapping");
      }
      final String fname = requiredText(f, "name", where + ": features[" + i + "]");
      final String at = "feature '" + fname + "'";
      if (declared.containsKey(fname)) {
        throw new FeatureSetException(at + ": key 'name': duplicate feature name");
      }
      final String agg = requiredText(f, "aggregation", at);
      try {
        declared.put(fname, Aggregation.fromYaml(agg));
      } catch (final IllegalArgumentException e) {
        throw new FeatureSetException(at + ": key 'aggregation': " + e.getMessage(), e);
      }
    }
    final List<FeatureDef> out = new ArrayList<>();
    for (final JsonNode f : nodes) {
      out.add(feature(f, schema, declared));
    }
    return out;
  }

  private static FeatureDef feature(final JsonNode f, final Schema schema, final Map<String, Aggregation> declared) {
    final String fname = f.get("name").asText();
    final String at = "feature '" + fname + "'";
    checkKeys(f, FEATURE_KEYS, at);
    final Aggregation agg = declared.get(fname);
    final boolean ratio = agg == Aggregation.RATIO;

    final String source = f.has("source") ? text(f, "source", at) : null;
    if (ratio && source != null) {
      throw new FeatureSetException(at + ": key 'source': a ratio takes numerator and denominator, not a source");
    }
    if (agg.needsSource() && source == null) {
      throw new FeatureSetException(at + ": key 'source': aggregation " + agg.yamlName() + " needs a source field");
    }
    if (source != null) {
      final FieldPath.Resolved field = resolve(schema, source, at + ": key 'source'");
      if (field.pii()) {
        throw new FeatureSetException(at + ": key 'source': field '" + source + "' is marked PII and cannot feed a feature");
      }
      if (agg.numeric() && !field.numeric()) {
        throw new FeatureSetException(at + ": key 'source': aggregation " + agg.yamlName()
            + " needs a numeric field, '" + source + "' is " + describe(field));
      }
      if (agg == Aggregation.DISTINCT_COUNT && !field.scalar()) {
        throw new FeatureSetException(at + ": key 'source': distinct_count needs a scalar field, '" + source
            + "' is " + describe(field));
      }
    }

    final String filter = f.has("filter") ? text(f, "filter", at) : null;
    if (filter != null) {
      if (ratio) {
        throw new FeatureSetException(at + ": key 'filter': a ratio cannot be filtered; filter its parts");
      }
      try {
        FilterSpec.parse(filter, schema);
      } catch (final IllegalArgumentException e) {
        throw new FeatureSetException(at + ": key 'filter': " + e.getMessage(), e);
      }
    }

    final WindowSpec window = f.has("window") ? window(f.get("window"), at) : null;
    if (ratio && window != null) {
      throw new FeatureSetException(at + ": key 'window': a ratio uses the windows of its parts");
    }
    if (!ratio && !agg.windowOptional() && window == null) {
      throw new FeatureSetException(at + ": key 'window': aggregation " + agg.yamlName() + " needs a window");
    }

    final String numerator = f.has("numerator") ? text(f, "numerator", at) : null;
    final String denominator = f.has("denominator") ? text(f, "denominator", at) : null;
    if (ratio) {
      ratioPart(at, "numerator", numerator, fname, declared);
      ratioPart(at, "denominator", denominator, fname, declared);
    } else if (numerator != null || denominator != null) {
      throw new FeatureSetException(at + ": key '" + (numerator != null ? "numerator" : "denominator")
          + "' is only for aggregation ratio");
    }

    if (!f.has("freshnessSla")) {
      throw new FeatureSetException(at + ": key 'freshnessSla' is missing");
    }
    final Duration sla = duration(f.get("freshnessSla"), at + ": key 'freshnessSla'");
    final Double def = number(f, "default", at);
    int exactLimit = FeatureDef.DEFAULT_EXACT_LIMIT;
    if (f.has("exactLimit")) {
      if (agg != Aggregation.DISTINCT_COUNT) {
        throw new FeatureSetException(at + ": key 'exactLimit' is only for distinct_count");
      }
      if (!f.get("exactLimit").canConvertToInt() || !f.get("exactLimit").isIntegralNumber()) {
        throw new FeatureSetException(at + ": key 'exactLimit' must be an integer");
      }
      exactLimit = f.get("exactLimit").intValue();
    }
    try {
      return new FeatureDef(fname, agg, source, filter, window, sla, def, numerator, denominator, exactLimit);
    } catch (final IllegalArgumentException e) {
      throw new FeatureSetException(e.getMessage(), e);
    }
  }

  private static void ratioPart(final String at, final String key, final String ref, final String self,
      final Map<String, Aggregation> declared) {
    if (ref == null) {
      throw new FeatureSetException(at + ": key '" + key + "': a ratio needs a " + key + " feature");
    }
    if (!declared.containsKey(ref)) {
      throw new FeatureSetException(at + ": key '" + key + "': unknown feature '" + ref + "'");
    }
    if (ref.equals(self) || declared.get(ref) == Aggregation.RATIO) {
      throw new FeatureSetException(at + ": key '" + key + "': '" + ref + "' is a ratio; a ratio's parts must not be ratios");
    }
  }

  private static WindowSpec window(final JsonNode w, final String at) {
    final String where = at + ": key 'window'";
    if (w == null || !w.isObject()) {
      throw new FeatureSetException(where + " must be a mapping with type, size, advance, grace");
    }
    checkKeys(w, WINDOW_KEYS, where);
    final String typeText = requiredText(w, "type", where);
    final WindowSpec.Type type;
    try {
      type = WindowSpec.Type.valueOf(typeText.toUpperCase(java.util.Locale.ROOT));
    } catch (final IllegalArgumentException e) {
      throw new FeatureSetException(where + ": key 'type': unknown window type '" + typeText
          + "' (expected tumbling, hopping or sliding)", e);
    }
    if (!w.has("size")) {
      throw new FeatureSetException(where + ": key 'size' is missing");
    }
    final Duration size = duration(w.get("size"), where + ": key 'size'");
    final Duration advance = w.has("advance") ? duration(w.get("advance"), where + ": key 'advance'") : null;
    final Duration grace = w.has("grace") ? duration(w.get("grace"), where + ": key 'grace'") : Duration.ZERO;
    try {
      return new WindowSpec(type, size, advance, grace);
    } catch (final IllegalArgumentException | NullPointerException e) {
      throw new FeatureSetException(where + ": " + e.getMessage(), e);
    }
  }

  private static FieldPath.Resolved resolve(final Schema schema, final String path, final String at) {
    try {
      return FieldPath.parse(path).resolve(schema);
    } catch (final IllegalArgumentException e) {
      throw new FeatureSetException(at + ": " + e.getMessage(), e);
    }
  }

  private static String describe(final FieldPath.Resolved r) {
    return (r.nullable() ? "nullable " : "") + r.type() + (r.pii() ? " (PII)" : "");
  }

  private static void checkKeys(final JsonNode node, final Set<String> allowed, final String at) {
    final Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      final String k = it.next();
      if (!allowed.contains(k)) {
        throw new FeatureSetException(at + ": unknown key '" + k + "' (allowed: " + new TreeMap<>(
            allowed.stream().collect(java.util.stream.Collectors.toMap(s -> s, s -> ""))).keySet() + ")");
      }
    }
  }

  private static String requiredText(final JsonNode node, final String key, final String at) {
    if (!node.has(key) || node.get(key).isNull()) {
      throw new FeatureSetException(at + ": key '" + key + "' is missing");
    }
    return text(node, key, at);
  }

  private static String text(final JsonNode node, final String key, final String at) {
    final JsonNode v = node.get(key);
    if (v == null || !v.isValueNode() || v.asText().isBlank()) {
      throw new FeatureSetException(at + ": key '" + key + "' must be a non-empty text value");
    }
    return v.asText().trim();
  }

  private static Double number(final JsonNode node, final String key, final String at) {
    if (!node.has(key) || node.get(key).isNull()) {
      return null;
    }
    if (!node.get(key).isNumber()) {
      throw new FeatureSetException(at + ": key '" + key + "' must be a number, got '" + node.get(key).asText() + "'");
    }
    return node.get(key).doubleValue();
  }

  private static boolean bool(final JsonNode node, final String key, final String at) {
    if (!node.get(key).isBoolean()) {
      throw new FeatureSetException(at + ": key '" + key + "' must be true or false");
    }
    return node.get(key).booleanValue();
  }

  private static Duration duration(final JsonNode node, final String at) {
    if (node == null || !node.isValueNode()) {
      throw new FeatureSetException(at + ": must be a duration such as 10m");
    }
    try {
      return Durations.parse(node.asText(), at);
    } catch (final IllegalArgumentException e) {
      throw new FeatureSetException(e.getMessage(), e);
    }
  }

  /** SHA-256 of a canonical JSON form: sorted keys, durations in ms, so formatting and key order do not matter. */
  static String hash(final String name, final Schema schema, final String entityKey, final String timestamp,
      final String eventId, final Duration skew, final Duration idleTtl, final Map<String, Constraint> constraints,
      final List<FeatureDef> features) {
    final Map<String, Object> canon = new TreeMap<>();
    canon.put("name", name);
    canon.put("schema", schema.getFullName());
    canon.put("entityKey", entityKey);
    canon.put("timestamp", timestamp);
    canon.put("eventId", eventId);
    canon.put("maxFutureSkewMs", skew.toMillis());
    canon.put("idleTtlMs", idleTtl.toMillis());
    final Map<String, Object> cs = new TreeMap<>();
    constraints.forEach((field, c) -> {
      final Map<String, Object> m = new TreeMap<>();
      m.put("required", c.required());
      m.put("min", c.min());
      m.put("max", c.max());
      m.put("allowed", c.allowed());
      cs.put(field, m);
    });
    canon.put("constraints", cs);
    final List<Object> fs = new ArrayList<>();
    for (final FeatureDef f : features) {
      final Map<String, Object> m = new TreeMap<>();
      m.put("name", f.name());
      m.put("aggregation", f.aggregation().yamlName());
      m.put("source", f.source());
      m.put("filter", f.filter());
      m.put("freshnessSlaMs", f.freshnessSla().toMillis());
      m.put("default", f.defaultValue());
      m.put("numerator", f.numerator());
      m.put("denominator", f.denominator());
      m.put("exactLimit", f.exactLimit());
      if (f.window() != null) {
        final Map<String, Object> w = new TreeMap<>();
        w.put("type", f.window().type().name());
        w.put("sizeMs", f.window().size().toMillis());
        w.put("advanceMs", f.window().advance() == null ? null : f.window().advance().toMillis());
        w.put("graceMs", f.window().grace().toMillis());
        m.put("window", w);
      }
      fs.add(m);
    }
    canon.put("features", fs);
    try {
      final byte[] bytes = CANONICAL.writeValueAsString(canon).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (final JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash feature set '" + name + "'", e);
    }
  }
}
