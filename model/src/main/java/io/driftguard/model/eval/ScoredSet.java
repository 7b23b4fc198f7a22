package io.driftguard.model.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Scores of one model on a labelled set: the input of {@link Evaluator}.
 *
 * @param name name shown in reports (e.g. model version)
 * @param scores predicted probability of the positive class per row, each finite and in [0, 1]
 * @param labels true class per row, 0 or 1
 * @param slices optional slice columns (column name to one value per row; a null value is reported as
 *     {@link #NULL_VALUE}); iteration order is kept
 */
public record ScoredSet(String name, double[] scores, int[] labels, Map<String, String[]> slices) {
    public static final String NULL_VALUE = "<null>";

    public ScoredSet {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores and labels of '" + name + "' differ in length: "
                    + scores.length + " vs " + labels.length);
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException("scored set '" + name + "' is empty");
        }
        scores = scores.clone();
        labels = labels.clone();
        for (int i = 0; i < scores.length; i++) {
            if (!(scores[i] >= 0.0 && scores[i] <= 1.0)) {
                throw new IllegalArgumentException("scores[" + i + "] of '" + name + "' must be in [0, 1], was "
                        + scores[i]);
            }
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("labels[" + i + "] of '" + name + "' must be 0 or 1, was "
                        + labels[i]);
            }
        }
        final Map<String, String[]> copy = new LinkedHashMap<>();
        if (slices != null) {
            for (final Map.Entry<String, String[]> e : slices.entrySet()) {
                if (e.getKey() == null || e.getKey().isBlank()) {
                    throw new IllegalArgumentException("slice column names of '" + name + "' must not be blank");
                }
                if (e.getValue() == null || e.getValue().length != scores.length) {
                    throw new IllegalArgumentException("slice column '" + e.getKey() + "' of '" + name
                            + "' must have " + scores.length + " values, had "
                            + (e.getValue() == null ? "none" : e.getValue().length));
                }
                final String[] values = e.getValue().clone();
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == null) {
                        values[i] = NULL_VALUE;
                    }
                }
                copy.put(e.getKey(), values);
            }
        }
        slices = Collections.unmodifiableMap(copy);
    }

    public ScoredSet(final String name, final double[] scores, final int[] labels) {
        this(name, scores, labels, Map.of());
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Slice columns; the arrays are copies. */
    @Override
    public Map<String, String[]> slices() {
        final Map<String, String[]> out = new LinkedHashMap<>();
        slices.forEach((k, v) -> out.put(k, v.clone()));
        return Collections.unmodifiableMap(out);
    }

    public int size() {
        return scores.length;
    }

    double score(final int i) {
        return scores[i];
    }

    int label(final int i) {
        return labels[i];
    }

    Map<String, String[]> slicesView() {
        return slices;
    }
}
