package io.driftguard.scoring;

import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.UsedFeature;
import io.driftguard.features.Aggregation;
import io.driftguard.features.FeatureDef;
import io.driftguard.features.FeatureSet;
import io.driftguard.model.bundle.FeatureSpec;
import io.driftguard.model.bundle.Manifest;
import io.driftguard.model.bundle.MissingPolicy;
import io.driftguard.schemas.Pii;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * How one artifact's inputs are built from a feature vector and the event's own fields, and validated against the
 * artifact's contract. Built once per loaded version; {@link #build} is pure and thread-safe.
 *
 * <p>An input whose name is a feature of the set comes from the vector (as of just before the event); any other
 * input must be a top-level, non-PII field of the event (numeric, boolean, or string/enum for a categorical input).
 * An artifact asking for anything else cannot be served, and {@link #of} refuses it naming the input.
 */
final class InputPlan {

  /** What the scorer does with the event after validation. */
  enum Action {
    SCORE, FALLBACK, ABSTAIN
  }

  /** A validated model input. */
  record ModelInput(double[] row, List<UsedFeature> used, List<String> reasonCodes, Action action,
      String decidingReason, String featureSetHash) {
  }

  /** One problem a feature raised and what the artifact's policy did about it. */
  record Issue(String code, String feature, MissingPolicy policy) {
  }

  private enum Source {
    VECTOR, EVENT
  }

  private record Input(FeatureSpec spec, Source source, long slaMs, Double emptyHistoryValue,
      Schema.Type eventType) {
  }

  private final Manifest manifest;
  private final List<Input> inputs;

  private InputPlan(final Manifest manifest, final List<Input> inputs) {
    this.manifest = manifest;
    this.inputs = inputs;
  }

  /**
   * Plans the artifact's inputs over a feature set.
   *
   * @throws IllegalArgumentException naming the input when the artifact cannot be served on this feature set
   */
  static InputPlan of(final Manifest manifest, final FeatureSet set) {
    final Set<String> pii = new LinkedHashSet<>(Pii.piiFields(set.eventSchema()));
    final List<Input> inputs = new ArrayList<>();
    for (final FeatureSpec spec : manifest.features()) {
      final FeatureDef def = set.feature(spec.name()).orElse(null);
      if (def != null) {
        inputs.add(new Input(spec, Source.VECTOR, def.freshnessSla().toMillis(), emptyHistoryValue(def), null));
        continue;
      }
      if (pii.contains(spec.name())) {
        throw new IllegalArgumentException("model " + manifest.name() + " " + manifest.version() + " input '"
            + spec.name() + "' is a PII field of the event; PII is never passed to a model");
      }
      final Schema.Field field = set.eventSchema().getField(spec.name());
      if (field == null) {
        throw new IllegalArgumentException("model " + manifest.name() + " " + manifest.version() + " input '"
            + spec.name() + "' is neither a feature of set '" + set.name() + "' nor a field of the event");
      }
      final Schema.Type type = nonNull(field.schema()).getType();
      final boolean numeric = switch (type) {
        case INT, LONG, FLOAT, DOUBLE, BOOLEAN -> true;
        default -> false;
      };
      final boolean text = type == Schema.Type.STRING || type == Schema.Type.ENUM;
      if (!(numeric || (text && spec.type() == FeatureSpec.Type.CATEGORICAL))) {
        throw new IllegalArgumentException("model " + manifest.name() + " " + manifest.version() + " input '"
            + spec.name() + "' is event field of type " + type + ", which cannot feed a " + spec.type() + " input");
      }
      inputs.add(new Input(spec, Source.EVENT, Long.MAX_VALUE, null, type));
    }
    return new InputPlan(manifest, List.copyOf(inputs));
  }

  Manifest manifest() {
    return manifest;
  }

  /**
   * Builds the input for one event.
   *
   * @param event the event (its own fields are passed beside the vector)
   * @param eventTimeMs the event time
   * @param vector the entity's vector as of just before the event, or null when there is none
   * @param issues receives every problem with the policy applied (for metrics)
   */
  ModelInput build(final GenericRecord event, final long eventTimeMs, final FeatureVector vector,
      final List<Issue> issues) {
    final List<String> codes = new ArrayList<>();
    final boolean wrongHash = vector != null && !manifest.featureSetHash().equals(vector.getFeatureSetHash());
    if (vector == null) {
      codes.add(ReasonCodes.NO_FEATURE_VECTOR);
    }
    final Map<String, FeatureValue> byName = new HashMap<>();
    if (vector != null && !wrongHash) {
      for (final FeatureValue v : vector.getFeatures()) {
        byName.put(v.getName(), v);
      }
    }
    final double[] row = new double[inputs.size()];
    final List<UsedFeature> used = new ArrayList<>(inputs.size());
    Action action = Action.SCORE;
    String deciding = null;
    for (int i = 0; i < inputs.size(); i++) {
      final Input in = inputs.get(i);
      final FeatureSpec spec = in.spec();
      Double value;
      Long asOf;
      String problem = null;
      boolean stale = false;
      if (in.source() == Source.EVENT) {
        value = eventValue(event.get(spec.name()), spec);
        asOf = eventTimeMs;
        if (value == null) {
          problem = event.get(spec.name()) == null ? ReasonCodes.MISSING_FEATURE : ReasonCodes.OUT_OF_RANGE_FEATURE;
        }
      } else if (wrongHash) {
        value = null;
        asOf = null;
        problem = ReasonCodes.WRONG_FEATURE_SET_HASH;
      } else if (vector == null) {
        value = in.emptyHistoryValue();
        asOf = null;
        if (value == null) {
          problem = ReasonCodes.MISSING_FEATURE;
        }
      } else {
        final FeatureValue fv = byName.get(spec.name());
        value = fv == null ? null : fv.getValue();
        asOf = fv == null || fv.getAsOf() == null ? null : fv.getAsOf().toEpochMilli();
        if (value == null) {
          problem = ReasonCodes.MISSING_FEATURE;
        } else if (asOf != null && eventTimeMs - asOf > in.slaMs()) {
          stale = true;
          problem = ReasonCodes.STALE_FEATURE;
        }
      }
      if (problem == null && value != null) {
        if (!Double.isFinite(value)) {
          problem = ReasonCodes.NON_FINITE_FEATURE;
        } else if (spec.type() == FeatureSpec.Type.NUMERIC
            && ((spec.clipMin() != null && value < spec.clipMin())
                || (spec.clipMax() != null && value > spec.clipMax()))) {
          problem = ReasonCodes.OUT_OF_RANGE_FEATURE;
        } else if (spec.type() == FeatureSpec.Type.CATEGORICAL && in.source() == Source.VECTOR
            && Double.isNaN(spec.preprocess(value)) && spec.imputeValue() == null) {
          problem = ReasonCodes.OUT_OF_RANGE_FEATURE;
        }
      }
      boolean imputed = false;
      double modelValue = value == null ? Double.NaN : value;
      if (problem != null) {
        final MissingPolicy policy = spec.missingPolicy();
        codes.add(ReasonCodes.of(problem, spec.name()));
        issues.add(new Issue(problem, spec.name(), policy));
        switch (policy) {
          case IMPUTE -> {
            imputed = true;
            // Out-of-range values are clipped into the training range; anything else takes the impute value.
            modelValue = problem.equals(ReasonCodes.OUT_OF_RANGE_FEATURE) && value != null
                ? spec.preprocess(value) : (spec.imputeValue() == null ? Double.NaN : spec.imputeValue());
          }
          case FALLBACK -> {
            if (action == Action.SCORE) {
              action = Action.FALLBACK;
              deciding = problem;
            }
          }
          case ABSTAIN -> {
            if (action != Action.ABSTAIN) {
              action = Action.ABSTAIN;
              deciding = problem;
            }
          }
          default -> throw new IllegalStateException("unknown policy " + policy);
        }
      }
      row[i] = modelValue;
      final Long age = asOf == null || imputed ? null : eventTimeMs - asOf;
      used.add(UsedFeature.newBuilder()
          .setName(spec.name())
          .setValue(Double.isNaN(modelValue) || Double.isInfinite(modelValue) ? null : modelValue)
          .setAsOf(asOf == null || imputed ? null : Instant.ofEpochMilli(asOf))
          .setAgeMs(age)
          .setStale(stale)
          .setImputed(imputed)
          .build());
    }
    return new ModelInput(row, List.copyOf(used), List.copyOf(codes), action, deciding,
        vector == null ? null : vector.getFeatureSetHash());
  }

  /** The value the feature engine gives an entity with no contributing events: count-like 0, the default, or null. */
  private static Double emptyHistoryValue(final FeatureDef def) {
    if (def.defaultValue() != null) {
      return def.defaultValue();
    }
    return def.aggregation() == Aggregation.COUNT || def.aggregation() == Aggregation.DISTINCT_COUNT ? 0.0 : null;
  }

  private static Double eventValue(final Object raw, final FeatureSpec spec) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof Number n) {
      return n.doubleValue();
    }
    if (raw instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (spec.type() == FeatureSpec.Type.CATEGORICAL) {
      final double code = spec.encode(raw.toString());
      return Double.isNaN(code) ? null : code;
    }
    return null;
  }

  private static Schema nonNull(final Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema);
  }
}
