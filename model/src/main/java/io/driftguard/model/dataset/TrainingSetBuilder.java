package io.driftguard.model.dataset;

import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Label;
import io.driftguard.features.Aggregation;
import io.driftguard.features.FeatureDef;
import io.driftguard.features.FeatureReplay;
import io.driftguard.features.FeatureSet;
import io.driftguard.model.Dataset;
import io.driftguard.model.Sha256;
import io.driftguard.schemas.Pii;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a point-in-time-correct {@link TrainingSet} from historical events and labels, through the same feature
 * library that serves online.
 *
 * <p><b>The features of a row are those the online scorer sees.</b> Events are replayed in arrival order through
 * {@link FeatureReplay} (the engine the feature topology runs), which emits one vector per accepted event, stamped
 * with its event time. The scorer looks up the entity's vector <i>as of {@code t - 1 ms}</i> in a versioned table of
 * those vectors (strictly before the event, so the event's own vector never counts) and passes the event's own fields
 * beside it (scoring-stream's {@code InputPlan}). The builder does exactly that: before adding event e's vector to the history it looks up the vector of
 * e's entity with the largest event time {@code <= t - 1} among vectors of events that arrived before e (ties: the
 * later arrival). Events of the entity that arrive after e, whatever their time, are not seen. Every value is then
 * checked: a vector or a feature as-of time {@code >= t} fails the build with a {@link LeakageException}.
 *
 * <p><b>Label timing.</b> Only labels with {@code labelTime <= labelCutoff} exist for the build; the latest of those
 * per event wins. Events after the cutoff are not used. An event whose label is unknown at the cutoff is dropped, or,
 * with {@link TrainingSetConfig.Unlabelled#NEGATIVE}, kept as a negative when at least {@code negativeAfter} old.
 *
 * <p>An entity without an earlier vector gets what the scorer gives it: the declared default, 0 for count and
 * distinct_count, else missing. Stale features (age {@code t - asOf} above the feature's freshness SLA; a declared default has no as-of time
 * and is never stale) become missing by default, as the scorer's missing/stale policy sees them. The replay's clock
 * is fixed at the cutoff, so the FUTURE_TIMESTAMP check judges events as of the cutoff and the build is repeatable.
 */
public final class TrainingSetBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingSetBuilder.class);

  private final FeatureSet featureSet;
  private final TrainingSetConfig config;
  private final List<Field> eventFields;
  private final List<String> featureNames;
  private final long[] slaMs;
  private final double[] emptyHistory;

  /** How an event field becomes a model input. */
  private record Field(String name, boolean categorical) {
  }

  private TrainingSetBuilder(final FeatureSet featureSet, final TrainingSetConfig config) {
    this.featureSet = featureSet;
    this.config = config;
    if (featureSet.eventIdField() == null) {
      throw new IllegalArgumentException("feature set '" + featureSet.name() + "' declares no eventId field; "
          + "labels are joined by event id");
    }
    final Schema schema = featureSet.eventSchema();
    final List<String> pii = Pii.piiFields(schema);
    this.eventFields = new ArrayList<>();
    for (final String f : config.eventFields()) {
      final Schema.Type type = fieldType(schema, f, "trainingSet.eventFields", pii);
      if (featureSet.feature(f).isPresent()) {
        throw new IllegalArgumentException("trainingSet.eventFields: '" + f + "' is also a feature of set '"
            + featureSet.name() + "'; the scorer would read the feature, not the event field");
      }
      final boolean categorical = switch (type) {
        case INT, LONG, FLOAT, DOUBLE, BOOLEAN -> false;
        case STRING, ENUM -> true;
        default -> throw new IllegalArgumentException("trainingSet.eventFields: field '" + f + "' has type " + type
            + "; only numbers, strings and enums can be model inputs");
      };
      eventFields.add(new Field(f, categorical));
    }
    for (final String f : config.sliceFields()) {
      fieldType(schema, f, "trainingSet.sliceFields", pii);
    }
    if (config.amountField() != null) {
      final Schema.Type t = fieldType(schema, config.amountField(), "trainingSet.amountField", pii);
      if (t != Schema.Type.DOUBLE && t != Schema.Type.FLOAT && t != Schema.Type.INT && t != Schema.Type.LONG) {
        throw new IllegalArgumentException("trainingSet.amountField: field '" + config.amountField()
            + "' must be numeric, is " + t);
      }
    }
    this.featureNames = new ArrayList<>(featureSet.featureNames());
    eventFields.forEach(f -> featureNames.add(f.name()));
    this.slaMs = featureSet.features().stream().map(FeatureDef::freshnessSla).mapToLong(d -> d.toMillis()).toArray();
    this.emptyHistory = featureSet.features().stream().mapToDouble(TrainingSetBuilder::emptyHistoryValue).toArray();
  }

  /**
   * @throws IllegalArgumentException when a configured field is unknown, PII, of an unusable type, or the feature
   *     set has no event-id field
   */
  public static TrainingSetBuilder create(final FeatureSet featureSet, final TrainingSetConfig config) {
    return new TrainingSetBuilder(Objects.requireNonNull(featureSet, "featureSet"),
        Objects.requireNonNull(config, "config"));
  }

  /** Model input names: the feature-set features in their order, then the event fields. */
  public List<String> featureNames() {
    return List.copyOf(featureNames);
  }

  /**
   * Replays {@code events} (in arrival order) through the feature library and joins them with {@code labels}.
   *
   * @throws LeakageException never for a correct feature library; it guards the point-in-time rule
   */
  public TrainingSet build(final Iterable<? extends GenericRecord> events, final Iterable<Label> labels) {
    return build(events, labels, 0, n -> { });
  }

  /**
   * As {@link #build(Iterable, Iterable)}, calling {@code progress} with the number of events replayed so far after
   * every {@code every} events (0: never), for long replays.
   */
  public TrainingSet build(final Iterable<? extends GenericRecord> events, final Iterable<Label> labels,
      final long every, final java.util.function.LongConsumer progress) {
    if (every < 0) {
      throw new IllegalArgumentException("progress interval must be >= 0, was " + every);
    }
    Objects.requireNonNull(progress, "progress");
    final Assembly assembly = new Assembly(labels);
    final FeatureReplay replay = FeatureReplay.builder(featureSet)
        .clock(Clock.fixed(config.labelCutoff(), ZoneOffset.UTC)).partitions(config.partitions()).build();
    final CurrentEvent current = new CurrentEvent(events.iterator(), every, progress);
    replay.stream(current, new FeatureReplay.Listener() {
      @Override
      public void onVector(final long index, final FeatureVector vector) {
        current.requireAt(index);
        assembly.accept(current.event, vector);
      }

      @Override
      public void onReject(final FeatureReplay.Reject reject) {
        current.requireAt(reject.index());
        assembly.reject(current.event, reject.verdict().reasonCode().name());
      }
    });
    if (current.handed != current.outcomes) {
      throw new IllegalStateException("feature replay produced " + current.outcomes + " outcomes for "
          + current.handed + " events");
    }
    return assembly.finish();
  }

  /**
   * Joins events with vectors already computed by the feature topology (e.g. read from the {@code features} topic),
   * matched by event id, and with {@code labels}. An event without a vector counts as rejected ({@code NO_VECTOR}).
   *
   * @param vectors the topology's output; each must carry the feature set's hash and an event id
   * @throws LeakageException when a vector the point-in-time rule picks reflects an event at or after the row's time
   */
  public TrainingSet buildFromVectors(final Iterable<? extends GenericRecord> events,
      final Iterable<FeatureVector> vectors, final Iterable<Label> labels) {
    final Map<String, FeatureVector> byEventId = new HashMap<>();
    for (final FeatureVector v : vectors) {
      if (v.getEventId() == null) {
        throw new IllegalArgumentException("feature vector of entity '" + v.getEntityId() + "' at "
            + v.getEventTime() + " has no eventId; vectors are matched to events by event id");
      }
      if (!featureSet.hash().equals(v.getFeatureSetHash())) {
        throw new IllegalArgumentException("feature vector of event '" + v.getEventId() + "' has feature-set hash "
            + v.getFeatureSetHash() + ", expected " + featureSet.hash() + " (" + featureSet.name() + ")");
      }
      byEventId.put(v.getEventId(), v);
    }
    final Assembly assembly = new Assembly(labels);
    for (final GenericRecord event : events) {
      final FeatureVector v = byEventId.get(eventId(event));
      if (v == null) {
        assembly.reject(event, "NO_VECTOR");
      } else {
        assembly.accept(event, v);
      }
    }
    return assembly.finish();
  }

  /** Hands events to the replay one by one and remembers the one being processed. */
  private static final class CurrentEvent implements Iterator<GenericRecord> {
    private final Iterator<? extends GenericRecord> events;
    private final long every;
    private final java.util.function.LongConsumer progress;
    GenericRecord event;
    long handed;
    long outcomes;

    CurrentEvent(final Iterator<? extends GenericRecord> events, final long every,
        final java.util.function.LongConsumer progress) {
      this.events = events;
      this.every = every;
      this.progress = progress;
    }

    @Override
    public boolean hasNext() {
      return events.hasNext();
    }

    @Override
    public GenericRecord next() {
      if (every > 0 && handed > 0 && handed % every == 0) {
        progress.accept(handed);
      }
      event = events.next();
      handed++;
      return event;
    }

    void requireAt(final long index) {
      // The replay reports each event right after pulling it; anything else would join the wrong event.
      if (index != handed - 1) {
        throw new IllegalStateException("feature replay reported event #" + index + " while event #" + (handed - 1)
            + " was current");
      }
      outcomes++;
    }
  }

  /** The join, one event at a time, in arrival order. */
  private final class Assembly {
    private final long cutoff = config.labelCutoff().toEpochMilli();
    private final Map<String, Label> labels = new HashMap<>();
    private final Map<String, Long> rejected = new TreeMap<>();
    private final VectorHistory history = new VectorHistory(featureSet.maxGrace().toMillis() + 1);
    private final MessageDigest inputs = sha256();
    private final List<double[]> rows = new ArrayList<>();
    private final List<Integer> rowLabels = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final List<String[]> categoricals = new ArrayList<>();
    private final Map<String, List<String>> slices = new LinkedHashMap<>();
    private final java.util.Set<String> usedLabels = new java.util.HashSet<>();
    private long eventsRead;
    private long eventsAfterCutoff;
    private long droppedUnlabelled;
    private int positives;
    private int negativesByPolicy;
    private int withoutPrior;
    private long stale;
    private long labelsRead;
    private long labelsAfterCutoff;
    private long labelsSuperseded;
    private long labelsBeforeEvent;

    Assembly(final Iterable<Label> labelInput) {
      for (final Label l : labelInput) {
        labelsRead++;
        digest("label", l.getEventId(), l.getEntityId(), l.getLabel(), l.getLabelTime().toEpochMilli());
        if (l.getLabel() != 0 && l.getLabel() != 1) {
          throw new IllegalArgumentException("label of event '" + l.getEventId() + "' must be 0 or 1, was "
              + l.getLabel());
        }
        if (l.getLabelTime().toEpochMilli() > cutoff) {
          labelsAfterCutoff++;
          continue;
        }
        final Label prior = labels.get(l.getEventId());
        if (prior != null) {
          labelsSuperseded++;
          if (prior.getLabelTime().isAfter(l.getLabelTime())) {
            continue;
          }
        }
        labels.put(l.getEventId(), l);
      }
      config.sliceFields().forEach(f -> slices.put(f, new ArrayList<>()));
      if (config.amountField() != null) {
        slices.put(TrainingSetConfig.AMOUNT_BUCKET, new ArrayList<>());
      }
    }

    void reject(final GenericRecord event, final String reason) {
      eventsRead++;
      digestEvent(event);
      rejected.merge(reason, 1L, Long::sum);
    }

    void accept(final GenericRecord event, final FeatureVector own) {
      eventsRead++;
      digestEvent(event);
      final String entity = String.valueOf(event.get(featureSet.entityKeyField()));
      final long t = epochMillis(event.get(featureSet.timestampField()), featureSet.timestampField());
      final String id = eventId(event);
      // Looked up before the event's own vector joins the history: the scorer cannot have seen it either.
      final FeatureVector prior = history.asOf(entity, t - 1);
      history.add(entity, own.getEventTime().toEpochMilli(), own);
      if (t > cutoff) {
        eventsAfterCutoff++;
        return;
      }
      final Label label = labels.get(id);
      final int y;
      if (label != null && label.getLabelTime().toEpochMilli() < t) {
        labelsBeforeEvent++;
        LOG.warn("label of event {} has labelTime {} before the event time {}; ignored", id, label.getLabelTime(),
            Instant.ofEpochMilli(t));
        droppedUnlabelled++;
        return;
      } else if (label != null) {
        usedLabels.add(id);
        y = label.getLabel();
      } else if (config.unlabelled() == TrainingSetConfig.Unlabelled.NEGATIVE
          && cutoff - t >= config.negativeAfter().toMillis()) {
        negativesByPolicy++;
        y = 0;
      } else {
        droppedUnlabelled++;
        return;
      }
      final double[] row = new double[featureNames.size()];
      final String[] cats = new String[eventFields.size()];
      fillFeatures(row, prior, id, t);
      final int offset = featureSet.features().size();
      for (int j = 0; j < eventFields.size(); j++) {
        final Field f = eventFields.get(j);
        final Object v = event.get(f.name());
        if (f.categorical()) {
          cats[j] = v == null ? null : v.toString();
          row[offset + j] = Double.NaN;
        } else {
          row[offset + j] = v == null ? Double.NaN
              : v instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) v).doubleValue();
        }
      }
      rows.add(row);
      categoricals.add(cats);
      rowLabels.add(y);
      positives += y;
      times.add(t);
      ids.add(id);
      for (final String f : config.sliceFields()) {
        final Object v = event.get(f);
        slices.get(f).add(v == null ? null : v.toString());
      }
      if (config.amountField() != null) {
        final Object amount = event.get(config.amountField());
        slices.get(TrainingSetConfig.AMOUNT_BUCKET)
            .add(config.amountBucket(amount == null ? null : ((Number) amount).doubleValue()));
      }
    }

    private void fillFeatures(final double[] row, final FeatureVector prior, final String id, final long t) {
      final int n = featureSet.features().size();
      if (prior == null) {
        withoutPrior++;
        for (int c = 0; c < n; c++) {
          row[c] = emptyHistory[c];
        }
        return;
      }
      if (prior.getEventTime().toEpochMilli() >= t) {
        throw new LeakageException("event '" + id + "' at " + Instant.ofEpochMilli(t) + " would use the vector of "
            + "event '" + prior.getEventId() + "' stamped " + prior.getEventTime() + ", not before it");
      }
      final List<FeatureValue> values = prior.getFeatures();
      if (values.size() != n) {
        throw new IllegalArgumentException("vector of event '" + prior.getEventId() + "' has " + values.size()
            + " features, feature set '" + featureSet.name() + "' has " + n);
      }
      for (int c = 0; c < n; c++) {
        final FeatureValue fv = values.get(c);
        final String name = featureSet.features().get(c).name();
        if (!name.equals(fv.getName())) {
          throw new IllegalArgumentException("vector of event '" + prior.getEventId() + "' has feature '"
              + fv.getName() + "' at position " + c + ", feature set expects '" + name + "'");
        }
        final Instant asOf = fv.getAsOf();
        if (asOf != null && asOf.toEpochMilli() >= t) {
          throw new LeakageException("feature '" + name + "' for event '" + id + "' at " + Instant.ofEpochMilli(t)
              + " reflects an event at " + asOf + " (vector of event '" + prior.getEventId() + "' stamped "
              + prior.getEventTime() + "): a feature may only use events before the labelled event");
        }
        double v = fv.getValue() == null ? Double.NaN : fv.getValue();
        if (asOf != null && t - asOf.toEpochMilli() > slaMs[c]
            && config.staleFeatures() == TrainingSetConfig.StaleFeatures.MISSING && !Double.isNaN(v)) {
          stale++;
          v = Double.NaN;
        }
        row[c] = v;
      }
    }

    TrainingSet finish() {
      final int n = rows.size();
      final double[][] matrix = rows.toArray(new double[0][]);
      final Map<String, List<String>> categories = new LinkedHashMap<>();
      final int offset = featureSet.features().size();
      for (int j = 0; j < eventFields.size(); j++) {
        final Field f = eventFields.get(j);
        if (!f.categorical()) {
          continue;
        }
        final TreeSet<String> seen = new TreeSet<>();
        for (final String[] c : categoricals) {
          if (c[j] != null) {
            seen.add(c[j]);
          }
        }
        final List<String> ordered = List.copyOf(seen);
        final Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < ordered.size(); k++) {
          index.put(ordered.get(k), k);
        }
        for (int i = 0; i < n; i++) {
          final String value = categoricals.get(i)[j];
          matrix[i][offset + j] = value == null ? Double.NaN : index.get(value);
        }
        if (!ordered.isEmpty()) {
          categories.put(f.name(), ordered);
        } else {
          // no value ever seen: the column stays all-missing and is numeric
          LOG.warn("event field {} is null in every row", f.name());
        }
      }
      final Map<String, String[]> sliceColumns = new LinkedHashMap<>();
      slices.forEach((k, v) -> sliceColumns.put(k, v.toArray(new String[0])));
      final Dataset dataset = new Dataset(featureNames, matrix, rowLabels.stream().mapToInt(Integer::intValue).toArray(),
          times.stream().mapToLong(Long::longValue).toArray(), ids, sliceColumns, categories, featureSet.hash());
      final long unmatched = labels.size() - usedLabels.size() - labelsBeforeEvent;
      final TrainingSetStats stats = new TrainingSetStats(eventsRead, rejected, eventsAfterCutoff, droppedUnlabelled,
          n, positives, negativesByPolicy, withoutPrior, stale, labelsRead, labelsAfterCutoff, labelsSuperseded,
          Math.max(0, unmatched), labelsBeforeEvent);
      final String inputHash = HexFormat.of().formatHex(inputs.digest());
      final String snapshot = Sha256.incremental().add("driftguard-trainingset-v1").add(inputHash)
          .add(featureSet.hash()).add(config.hash()).add(dataset.snapshotId(config.hash())).hex();
      LOG.info("training set {}: {} rows ({} positives) from {} events; {} rejected, {} after cutoff, {} unlabelled; "
          + "{} labels read, {} after cutoff", snapshot, n, positives, eventsRead, stats.rejectedTotal(),
          eventsAfterCutoff, droppedUnlabelled, labelsRead, labelsAfterCutoff);
      return new TrainingSet(dataset, snapshot, config, stats);
    }

    private void digestEvent(final GenericRecord event) {
      final Schema schema = event.getSchema();
      final Object[] values = new Object[schema.getFields().size() + 1];
      values[0] = "event";
      for (final Schema.Field f : schema.getFields()) {
        final Object v = event.get(f.pos());
        // Instants (specific records) and longs (generic records) of the same time hash alike.
        values[f.pos() + 1] = v instanceof Instant i ? i.toEpochMilli() : v;
      }
      digest(values);
    }

    private void digest(final Object... values) {
      for (final Object v : values) {
        final byte[] b = String.valueOf(v).getBytes(StandardCharsets.UTF_8);
        inputs.update((byte) (b.length >>> 24));
        inputs.update((byte) (b.length >>> 16));
        inputs.update((byte) (b.length >>> 8));
        inputs.update((byte) b.length);
        inputs.update(b);
      }
    }
  }

  /**
   * What an entity without any earlier vector has, as the feature engine and the scorer define it: the declared
   * default, else 0 for count and distinct_count, else missing.
   */
  static double emptyHistoryValue(final FeatureDef def) {
    if (def.defaultValue() != null) {
      return def.defaultValue();
    }
    return def.aggregation() == Aggregation.COUNT || def.aggregation() == Aggregation.DISTINCT_COUNT ? 0.0
        : Double.NaN;
  }

  private String eventId(final GenericRecord event) {
    final Object id = event.get(featureSet.eventIdField());
    if (id == null) {
      throw new IllegalArgumentException("event without '" + featureSet.eventIdField() + "' (entity "
          + event.get(featureSet.entityKeyField()) + "); labels are joined by event id");
    }
    return id.toString();
  }

  private static long epochMillis(final Object value, final String field) {
    if (value instanceof Instant i) {
      return i.toEpochMilli();
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException("event field '" + field + "' must be a timestamp, was " + value);
  }

  private static Schema.Type fieldType(final Schema schema, final String name, final String key,
      final List<String> pii) {
    final Schema.Field field = schema.getField(name);
    if (field == null) {
      throw new IllegalArgumentException(key + ": unknown field '" + name + "' in " + schema.getFullName()
          + " (top-level fields only)");
    }
    if (pii.contains(name)) {
      throw new IllegalArgumentException(key + ": field '" + name + "' is marked \"pii\": true and may not be used");
    }
    Schema s = field.schema();
    if (s.getType() == Schema.Type.UNION) {
      final List<Schema> nonNull = s.getTypes().stream().filter(x -> x.getType() != Schema.Type.NULL).toList();
      if (nonNull.size() != 1) {
        throw new IllegalArgumentException(key + ": field '" + name + "' is a union of several types");
      }
      s = nonNull.get(0);
    }
    return s.getType();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
