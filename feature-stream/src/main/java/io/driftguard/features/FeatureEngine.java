package io.driftguard.features;

import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.datasketches.hash.MurmurHash3;
import org.apache.datasketches.hll.HllSketch;

/**
 * The one feature computation shared by the topology and {@link FeatureReplay}.
 *
 * <p>Point-in-time rule: the vector for an event stamped t is a function only of the events of its entity with
 * timestamp &lt;= t that have arrived so far, the event itself included. An event is LATE (rejected) when its time is
 * older than stream time minus the largest grace; stream time is the largest accepted event time on the entity's
 * partition. Within that, an event older than stream time minus a feature's own grace does not update that feature.
 */
final class FeatureEngine {
  private static final long HASH_SEED = 9001L;
  private static final int HLL_LG_K = 12;

  private final FeatureSet set;
  private final ContractValidator validator;
  private final FieldPath entityKey;
  private final FieldPath timestamp;
  private final FieldPath eventId;
  private final Compiled[] features;
  private final int[] ratioParts;
  private final long maxGraceMs;
  private final long retentionMs;
  private final long idleTtlMs;

  /** Result of one event. */
  sealed interface Outcome permits Emitted, Rejected {}

  /** The event was accepted and produced {@code vector}. */
  record Emitted(String entityId, FeatureVector vector) implements Outcome {}

  /** The event was refused; {@code entityId} and {@code eventId} are null when they could not be read. */
  record Rejected(String entityId, String eventId, Verdict verdict) implements Outcome {}

  private record Compiled(int index, FeatureDef def, FieldPath source, FilterSpec filter, boolean floatingSource,
      long graceMs) {}

  FeatureEngine(final FeatureSet set) {
    this.set = set;
    this.validator = new ContractValidator(set);
    this.entityKey = FieldPath.parse(set.entityKeyField());
    this.timestamp = FieldPath.parse(set.timestampField());
    this.eventId = set.eventIdField() == null ? null : FieldPath.parse(set.eventIdField());
    final List<FeatureDef> defs = set.features();
    this.features = new Compiled[defs.size()];
    this.ratioParts = new int[defs.size() * 2];
    for (int i = 0; i < defs.size(); i++) {
      final FeatureDef d = defs.get(i);
      final FieldPath source = d.source() == null ? null : FieldPath.parse(d.source());
      final boolean floating = source != null && switch (source.resolve(set.eventSchema()).type()) {
        case FLOAT, DOUBLE -> true;
        default -> false;
      };
      final FilterSpec filter = d.filter() == null ? null : FilterSpec.parse(d.filter(), set.eventSchema());
      features[i] = new Compiled(i, d, source, filter, floating,
          d.window() == null ? 0 : d.window().grace().toMillis());
      if (d.aggregation() == Aggregation.RATIO) {
        ratioParts[2 * i] = set.featureNames().indexOf(d.numerator());
        ratioParts[2 * i + 1] = set.featureNames().indexOf(d.denominator());
      }
    }
    this.maxGraceMs = set.maxGrace().toMillis();
    this.retentionMs = set.retention().toMillis();
    this.idleTtlMs = set.idleTtl().toMillis();
  }

  FeatureSet featureSet() {
    return set;
  }

  /** Validates, then applies; the whole path the replay takes. */
  Outcome process(final GenericRecord event, final StateAccess access, final long nowMs) {
    final Verdict verdict = validate(event, nowMs);
    if (!verdict.valid()) {
      return new Rejected(readEntityId(event), readEventId(event), verdict);
    }
    return apply(event, access, nowMs);
  }

  /** The data-contract verdict for {@code event} against the clock {@code nowMs}. */
  Verdict validate(final GenericRecord event, final long nowMs) {
    return validator.validate(event, nowMs);
  }

  /** The entity id of a validated event. */
  String entityId(final GenericRecord event) {
    return entityKey.read(event).toString();
  }

  private String readEntityId(final GenericRecord event) {
    final Object v = event == null ? null : entityKey.read(event);
    return v == null ? null : v.toString();
  }

  private String readEventId(final GenericRecord event) {
    final Object v = event == null || eventId == null ? null : eventId.read(event);
    return v == null ? null : v.toString();
  }

  /** Applies a validated event: late check, state update, vector as of its timestamp. */
  Outcome apply(final GenericRecord event, final StateAccess access, final long nowMs) {
    final String id = entityId(event);
    final long t = FieldPath.epochMillis(timestamp.read(event));
    final long streamTime = access.streamTime(id);
    if (streamTime != Long.MIN_VALUE && t < streamTime - maxGraceMs) {
      return new Rejected(id, readEventId(event), Verdict.rejected(ReasonCode.LATE, set.timestampField(),
          "event time " + Instant.ofEpochMilli(t) + " is older than stream time " + Instant.ofEpochMilli(streamTime)
              + " minus grace " + set.maxGrace()));
    }
    final long newStreamTime = streamTime == Long.MIN_VALUE ? t : Math.max(streamTime, t);
    EntityState prior = access.get(id);
    if (prior == null || prior.newestEventTime() < newStreamTime - idleTtlMs) {
      // Idle expiry is decided here, not by whoever deletes the state, so replay and topology agree exactly.
      prior = EntityState.empty(features.length);
    }
    final long seq = prior.nextSeq();
    final EntityState.Row row = row(event, t, seq, newStreamTime);
    final List<EntityState.Row> rows = new ArrayList<>(prior.rows().size() + 1);
    int insertAt = prior.rows().size();
    while (insertAt > 0 && prior.rows().get(insertAt - 1).timestamp > t) {
      insertAt--;
    }
    rows.addAll(prior.rows().subList(0, insertAt));
    rows.add(row);
    rows.addAll(prior.rows().subList(insertAt, prior.rows().size()));

    final FeatureVector vector = vector(event, id, t, seq, rows, prior.tails(), nowMs);

    final List<EntityState.Row.Tail> tails = new ArrayList<>(prior.tails());
    final long pruneAtOrBefore = newStreamTime - retentionMs;
    final List<EntityState.Row> kept = new ArrayList<>(rows.size());
    for (final EntityState.Row r : rows) {
      if (r.timestamp <= pruneAtOrBefore || !r.anyPresent()) {
        retireIntoTails(r, tails);
      } else {
        kept.add(r);
      }
    }
    final EntityState next = new EntityState(Math.max(prior.newestEventTime(), t), seq + 1, kept, tails);
    access.put(id, next);
    access.advanceStreamTime(id, newStreamTime);
    return new Emitted(id, vector);
  }

  /**
   * The vector of {@code entityId} as of {@code t} with no causing event (an interactive query): the same rule, over
   * the events with timestamp &lt;= t stored so far. Every stored event counts as "previous" for time_since_last.
   */
  FeatureVector vectorAsOf(final String entityId, final EntityState state, final long t, final long nowMs) {
    final EntityState s = state == null ? EntityState.empty(features.length) : state;
    return vector(null, entityId, t, -1L, s.rows(), s.tails(), nowMs);
  }

  /** Whether an entity whose newest event is {@code newestEventTime} is expired at {@code streamTime}. */
  boolean expired(final long newestEventTime, final long streamTime) {
    return newestEventTime < streamTime - idleTtlMs;
  }

  private void retireIntoTails(final EntityState.Row r, final List<EntityState.Row.Tail> tails) {
    for (final Compiled c : features) {
      if (c.def().window() == null && r.present[c.index()]) {
        final EntityState.Row.Tail tail = tails.get(c.index());
        if (tail == null || r.after(tail.timestamp(), tail.seq())) {
          tails.set(c.index(), new EntityState.Row.Tail(r.timestamp, r.seq, r.values[c.index()]));
        }
      }
    }
  }

  private EntityState.Row row(final GenericRecord event, final long t, final long seq, final long streamTime) {
    final boolean[] present = new boolean[features.length];
    final long[] values = new long[features.length];
    for (final Compiled c : features) {
      final Aggregation agg = c.def().aggregation();
      if (agg == Aggregation.RATIO) {
        continue;
      }
      if (c.def().window() != null && t < streamTime - c.graceMs()) {
        continue;
      }
      if (c.filter() != null && !c.filter().test(event)) {
        continue;
      }
      final Object value = c.source() == null ? null : c.source().read(event);
      if (c.source() != null && value == null) {
        continue;
      }
      present[c.index()] = true;
      if (agg.numeric()) {
        values[c.index()] = Double.doubleToLongBits(FieldPath.asDouble(value));
      } else if (agg == Aggregation.DISTINCT_COUNT) {
        values[c.index()] = distinctHash(value, c.floatingSource());
      }
    }
    return new EntityState.Row(t, seq, present, values);
  }

  private static long distinctHash(final Object value, final boolean floating) {
    final String canonical;
    if (value instanceof Number n) {
      canonical = floating ? "d:" + n.doubleValue() : "l:" + n.longValue();
    } else {
      canonical = "s:" + value;
    }
    return MurmurHash3.hash(canonical.getBytes(StandardCharsets.UTF_8), HASH_SEED)[0];
  }

  private FeatureVector vector(final GenericRecord event, final String id, final long t, final long seq,
      final List<EntityState.Row> rows, final List<EntityState.Row.Tail> tails, final long nowMs) {
    final Double[] values = new Double[features.length];
    final Long[] asOf = new Long[features.length];
    for (final Compiled c : features) {
      if (c.def().aggregation() != Aggregation.RATIO) {
        compute(c, t, seq, rows, tails.get(c.index()), values, asOf);
      }
    }
    for (final Compiled c : features) {
      if (c.def().aggregation() == Aggregation.RATIO) {
        ratio(c, values, asOf);
      }
    }
    // All-args constructors, not builders: Avro builders deep-copy every nested record, which dominated the cost.
    final List<FeatureValue> out = new ArrayList<>(features.length);
    for (final Compiled c : features) {
      out.add(new FeatureValue(c.def().name(), values[c.index()],
          asOf[c.index()] == null ? null : Instant.ofEpochMilli(asOf[c.index()])));
    }
    return new FeatureVector(id, readEventId(event), Instant.ofEpochMilli(t), set.name(), set.hash(), out,
        Instant.ofEpochMilli(nowMs));
  }

  private void ratio(final Compiled c, final Double[] values, final Long[] asOf) {
    final int n = ratioParts[2 * c.index()];
    final int d = ratioParts[2 * c.index() + 1];
    final Double num = values[n];
    final Double den = values[d];
    if (num == null || den == null || den == 0.0) {
      values[c.index()] = c.def().effectiveDefault();
      asOf[c.index()] = null;
      return;
    }
    values[c.index()] = num / den;
    final Long a = asOf[n];
    final Long b = asOf[d];
    asOf[c.index()] = a == null ? b : b == null ? a : Math.max(a, b);
  }

  private static void compute(final Compiled c, final long t, final long seq, final List<EntityState.Row> rows,
      final EntityState.Row.Tail tail, final Double[] values, final Long[] asOf) {
    final int i = c.index();
    final long lo = c.def().window() == null ? Long.MIN_VALUE : c.def().window().startInclusive(t);
    final Aggregation agg = c.def().aggregation();
    long n = 0;
    long newestTs = Long.MIN_VALUE;
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double lastValue = 0;
    long previousTs = Long.MIN_VALUE;
    final List<Double> xs = agg == Aggregation.STDDEV ? new ArrayList<>() : null;
    Set<Long> exact = agg == Aggregation.DISTINCT_COUNT ? new HashSet<>() : null;
    HllSketch sketch = null;
    for (final EntityState.Row r : rows) {
      if (r.timestamp > t) {
        break;
      }
      if (r.timestamp < lo || !r.present[i]) {
        continue;
      }
      if (agg == Aggregation.TIME_SINCE_LAST) {
        if (r.seq != seq) {
          previousTs = r.timestamp;
        }
        continue;
      }
      n++;
      newestTs = r.timestamp;
      final double x = Double.longBitsToDouble(r.values[i]);
      switch (agg) {
        case SUM, MEAN -> sum += x;
        case MIN -> min = Math.min(min, x);
        case MAX -> max = Math.max(max, x);
        case LAST -> lastValue = x;
        case STDDEV -> xs.add(x);
        case DISTINCT_COUNT -> {
          if (sketch != null) {
            sketch.update(r.values[i]);
          } else {
            exact.add(r.values[i]);
            if (exact.size() > c.def().exactLimit()) {
              // Too many distinct values to keep exactly: estimate with HLL from here on.
              sketch = new HllSketch(HLL_LG_K);
              for (final long h : exact) {
                sketch.update(h);
              }
              exact = null;
            }
          }
        }
        default -> { }
      }
    }
    final boolean unbounded = c.def().window() == null;
    if (agg == Aggregation.TIME_SINCE_LAST) {
      if (previousTs == Long.MIN_VALUE && unbounded && tail != null && tail.timestamp() <= t) {
        previousTs = tail.timestamp();
      }
      if (previousTs == Long.MIN_VALUE) {
        values[i] = c.def().effectiveDefault();
        asOf[i] = null;
      } else {
        values[i] = (t - previousTs) / 1000.0;
        asOf[i] = t;
      }
      return;
    }
    if (agg == Aggregation.LAST && n == 0 && unbounded && tail != null && tail.timestamp() <= t) {
      values[i] = Double.longBitsToDouble(tail.value());
      asOf[i] = tail.timestamp();
      return;
    }
    if (n == 0) {
      values[i] = c.def().effectiveDefault();
      asOf[i] = null;
      return;
    }
    asOf[i] = newestTs;
    values[i] = switch (agg) {
      case COUNT -> (double) n;
      case SUM -> sum;
      case MEAN -> sum / n;
      case MIN -> min;
      case MAX -> max;
      case LAST -> lastValue;
      case STDDEV -> populationStddev(xs);
      case DISTINCT_COUNT -> sketch != null ? sketch.getEstimate() : (double) exact.size();
      default -> throw new IllegalStateException("unexpected aggregation " + agg + " for feature " + c.def().name());
    };
  }

  private static double populationStddev(final List<Double> xs) {
    double mean = 0;
    for (final double x : xs) {
      mean += x;
    }
    mean /= xs.size();
    double ss = 0;
    for (final double x : xs) {
      ss += (x - mean) * (x - mean);
    }
    return Math.sqrt(ss / xs.size());
  }
}
