package io.driftguard.model.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.model.ConfigText;
import io.driftguard.model.Sha256;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How a training set is cut from history: the label cutoff, what to do with events whose label was not known by
 * then, which event fields go beside the features, how stale features are treated, the slice columns and the
 * partition count the replay mimics.
 *
 * <p>Read it with {@link #parse(String)} or {@link #fromYaml(JsonNode)}; an unknown key or a bad value fails with a
 * message naming the key (prefixed {@code trainingSet.}).
 *
 * @param labelCutoff the training set is built "as of" this instant: only labels with {@code labelTime <= cutoff}
 *     exist, and events after it are not used
 * @param unlabelled what to do with an event whose label is not known by the cutoff
 * @param negativeAfter with {@link Unlabelled#NEGATIVE}: only events at least this old at the cutoff become
 *     negatives (younger ones are dropped, their label may simply still be on its way); null otherwise
 * @param eventFields top-level event fields passed to the model beside the features (the scorer passes the event's
 *     own fields the same way); numbers and booleans are numeric inputs, strings and enums categorical; each is the
 *     model input named like the field (scoring-stream resolves a name that is not a feature to the event field)
 * @param staleFeatures what a feature whose age at the event exceeds its freshness SLA becomes
 * @param sliceFields top-level event fields copied as slice columns (not model inputs)
 * @param amountField numeric field bucketed into the {@code amountBucket} slice column, or null for none
 * @param amountBucketEdges ascending edges of the amount buckets
 * @param partitions partitions of the events topic the replay mimics (per-partition stream time, for LATE)
 */
public record TrainingSetConfig(
    Instant labelCutoff,
    Unlabelled unlabelled,
    Duration negativeAfter,
    List<String> eventFields,
    StaleFeatures staleFeatures,
    List<String> sliceFields,
    String amountField,
    List<Double> amountBucketEdges,
    int partitions) {

  /** Name of the slice column derived from {@link #amountField()}. */
  public static final String AMOUNT_BUCKET = "amountBucket";

  private static final Set<String> KEYS = Set.of("labelCutoff", "unlabelled", "negativeAfter", "eventFields",
      "staleFeatures", "sliceFields", "amountField", "amountBucketEdges", "partitions");

  /** Events whose label is not known by the cutoff. */
  public enum Unlabelled {
    /** Left out: neither positive nor negative (the default). */
    DROP,
    /** Kept as negatives when at least {@code negativeAfter} old at the cutoff; younger ones are dropped. */
    NEGATIVE
  }

  /** Features older than their freshness SLA at the event time. */
  public enum StaleFeatures {
    /** Become missing (NaN), as the scorer treats a stale feature under the artifact's missing policy. */
    MISSING,
    /** Keep their value. */
    KEEP
  }

  public TrainingSetConfig {
    Objects.requireNonNull(labelCutoff, "trainingSet.labelCutoff is required");
    unlabelled = unlabelled == null ? Unlabelled.DROP : unlabelled;
    if (unlabelled == Unlabelled.NEGATIVE) {
      if (negativeAfter == null || negativeAfter.isNegative()) {
        throw new IllegalArgumentException("trainingSet.negativeAfter (>= 0) is required when "
            + "trainingSet.unlabelled is NEGATIVE");
      }
    } else if (negativeAfter != null) {
      throw new IllegalArgumentException("trainingSet.negativeAfter applies only when trainingSet.unlabelled is "
          + "NEGATIVE");
    }
    eventFields = eventFields == null ? List.of() : List.copyOf(eventFields);
    requireDistinct(eventFields, "trainingSet.eventFields");
    staleFeatures = staleFeatures == null ? StaleFeatures.MISSING : staleFeatures;
    sliceFields = sliceFields == null ? List.of() : List.copyOf(sliceFields);
    requireDistinct(sliceFields, "trainingSet.sliceFields");
    if (sliceFields.contains(AMOUNT_BUCKET)) {
      throw new IllegalArgumentException("trainingSet.sliceFields must not name '" + AMOUNT_BUCKET
          + "'; it is derived from trainingSet.amountField");
    }
    amountBucketEdges = amountBucketEdges == null ? List.of() : List.copyOf(amountBucketEdges);
    if (amountField != null && amountBucketEdges.isEmpty()) {
      throw new IllegalArgumentException("trainingSet.amountBucketEdges must not be empty when "
          + "trainingSet.amountField is set");
    }
    for (int i = 0; i < amountBucketEdges.size(); i++) {
      final Double e = amountBucketEdges.get(i);
      if (e == null || !Double.isFinite(e) || (i > 0 && e <= amountBucketEdges.get(i - 1))) {
        throw new IllegalArgumentException("trainingSet.amountBucketEdges must be finite and strictly ascending, "
            + "were " + amountBucketEdges);
      }
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("trainingSet.partitions must be >= 1, was " + partitions);
    }
  }

  /** A config with the defaults: drop unlabelled events, stale features missing, no event fields or slices. */
  public static TrainingSetConfig asOf(final Instant labelCutoff) {
    return new TrainingSetConfig(labelCutoff, null, null, null, null, null, null, null, 1);
  }

  public TrainingSetConfig withUnlabelled(final Unlabelled policy, final Duration minAge) {
    return new TrainingSetConfig(labelCutoff, policy, minAge, eventFields, staleFeatures, sliceFields, amountField,
        amountBucketEdges, partitions);
  }

  public TrainingSetConfig withEventFields(final List<String> fields) {
    return new TrainingSetConfig(labelCutoff, unlabelled, negativeAfter, fields, staleFeatures, sliceFields,
        amountField, amountBucketEdges, partitions);
  }

  public TrainingSetConfig withStaleFeatures(final StaleFeatures policy) {
    return new TrainingSetConfig(labelCutoff, unlabelled, negativeAfter, eventFields, policy, sliceFields,
        amountField, amountBucketEdges, partitions);
  }

  public TrainingSetConfig withSlices(final List<String> fields, final String bucketedAmountField,
      final List<Double> edges) {
    return new TrainingSetConfig(labelCutoff, unlabelled, negativeAfter, eventFields, staleFeatures, fields,
        bucketedAmountField, edges, partitions);
  }

  public TrainingSetConfig withPartitions(final int count) {
    return new TrainingSetConfig(labelCutoff, unlabelled, negativeAfter, eventFields, staleFeatures, sliceFields,
        amountField, amountBucketEdges, count);
  }

  /** The amount bucket label of {@code amount}: {@code <e0}, {@code e0-e1}, ..., {@code >=eN}; null stays null. */
  public String amountBucket(final Double amount) {
    if (amount == null || amount.isNaN()) {
      return null;
    }
    if (amount < amountBucketEdges.get(0)) {
      return "<" + fmt(amountBucketEdges.get(0));
    }
    for (int i = 1; i < amountBucketEdges.size(); i++) {
      if (amount < amountBucketEdges.get(i)) {
        return fmt(amountBucketEdges.get(i - 1)) + "-" + fmt(amountBucketEdges.get(i));
      }
    }
    return ">=" + fmt(amountBucketEdges.get(amountBucketEdges.size() - 1));
  }

  private static String fmt(final double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** SHA-256 of the canonical form; part of the training set's snapshot id. */
  public String hash() {
    final Sha256 h = Sha256.incremental().add("driftguard-trainingset-config-v1")
        .add(labelCutoff.toEpochMilli()).add(unlabelled.name())
        .add(negativeAfter == null ? -1L : negativeAfter.toMillis()).add(staleFeatures.name())
        .add(String.join(",", eventFields)).add(String.join(",", sliceFields))
        .add(amountField == null ? "" : amountField).add(partitions);
    amountBucketEdges.forEach(h::add);
    return h.hex();
  }

  /** Parses a YAML mapping holding only the training-set keys. */
  public static TrainingSetConfig parse(final String yaml) {
    return fromYaml(ConfigText.yamlMapping(yaml, "trainingSet"));
  }

  /** Reads the {@code trainingSet} mapping of a pipeline config. */
  public static TrainingSetConfig fromYaml(final JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("trainingSet must be a YAML mapping");
    }
    for (final Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      final String key = it.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key 'trainingSet." + key + "'; known keys: "
            + KEYS.stream().sorted().toList());
      }
    }
    return new TrainingSetConfig(
        instant(node, "labelCutoff"),
        enumValue(node, "unlabelled", Unlabelled.class),
        duration(node, "negativeAfter"),
        strings(node, "eventFields"),
        enumValue(node, "staleFeatures", StaleFeatures.class),
        strings(node, "sliceFields"),
        text(node, "amountField"),
        doubles(node, "amountBucketEdges"),
        node.has("partitions") ? integer(node, "partitions") : 1);
  }

  private static void requireDistinct(final List<String> values, final String key) {
    if (values.stream().anyMatch(v -> v == null || v.isBlank())) {
      throw new IllegalArgumentException(key + " must not contain blank names");
    }
    if (values.stream().distinct().count() != values.size()) {
      throw new IllegalArgumentException(key + " contains duplicates: " + values);
    }
  }

  private static String text(final JsonNode node, final String key) {
    final JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new IllegalArgumentException("trainingSet." + key + " must be a single value, was " + v);
    }
    return v.asText().strip();
  }

  private static Instant instant(final JsonNode node, final String key) {
    final String s = text(node, key);
    if (s == null) {
      throw new IllegalArgumentException("missing required key 'trainingSet." + key + "'");
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("trainingSet." + key + " must be an ISO-8601 instant like "
          + "2026-01-29T00:00:00Z, was '" + s + "'", e);
    }
  }

  private static int integer(final JsonNode node, final String key) {
    final JsonNode v = node.get(key);
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("trainingSet." + key + " must be an integer, was " + v);
    }
    return v.intValue();
  }

  private static <E extends Enum<E>> E enumValue(final JsonNode node, final String key, final Class<E> type) {
    final String s = text(node, key);
    if (s == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("trainingSet." + key + " must be one of "
          + List.of(type.getEnumConstants()) + ", was '" + s + "'", e);
    }
  }

  private static List<String> strings(final JsonNode node, final String key) {
    final JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException("trainingSet." + key + " must be a list, was " + v);
    }
    final List<String> out = new ArrayList<>();
    v.forEach(e -> {
      if (!e.isTextual()) {
        throw new IllegalArgumentException("trainingSet." + key + " must hold field names, had " + e);
      }
      out.add(e.asText().strip());
    });
    return out;
  }

  private static List<Double> doubles(final JsonNode node, final String key) {
    final JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException("trainingSet." + key + " must be a list of numbers, was " + v);
    }
    final List<Double> out = new ArrayList<>();
    v.forEach(e -> {
      if (!e.isNumber()) {
        throw new IllegalArgumentException("trainingSet." + key + " must hold numbers, had " + e);
      }
      out.add(e.doubleValue());
    });
    return out;
  }

  /** ISO-8601 ({@code PT6H}) or short ({@code 90s}, {@code 5m}, {@code 6h}, {@code 2d}) durations. */
  static Duration duration(final JsonNode node, final String key) {
    final String s = text(node, key);
    return s == null ? null : ConfigText.duration(s, "trainingSet." + key);
  }
}
