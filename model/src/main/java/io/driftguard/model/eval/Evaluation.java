package io.driftguard.model.eval;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Everything {@link Evaluator} computes for one scored set; rendered by {@link EvaluationReport}. */
public record Evaluation(
        String name,
        int n,
        long positives,
        EvaluationConfig config,
        ConfusionMatrix confusion,
        Map<Metric, MetricEstimate> metrics,
        List<ReliabilityBin> reliability,
        List<ThresholdRow> sweep,
        List<CurvePoint> roc,
        List<CurvePoint> pr,
        List<SliceMetrics> slices,
        List<ErrorCluster> falsePositiveClusters,
        List<ErrorCluster> falseNegativeClusters) {

    public Evaluation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(confusion, "confusion");
        final EnumMap<Metric, MetricEstimate> copy = new EnumMap<>(Metric.class);
        copy.putAll(Objects.requireNonNull(metrics, "metrics"));
        for (final Metric m : Metric.values()) {
            if (!copy.containsKey(m)) {
                throw new IllegalArgumentException("metrics of '" + name + "' lack " + m.key());
            }
        }
        metrics = Collections.unmodifiableMap(copy);
        reliability = List.copyOf(reliability);
        sweep = List.copyOf(sweep);
        roc = List.copyOf(roc);
        pr = List.copyOf(pr);
        slices = List.copyOf(slices);
        falsePositiveClusters = List.copyOf(falsePositiveClusters);
        falseNegativeClusters = List.copyOf(falseNegativeClusters);
    }

    public MetricEstimate metric(final Metric metric) {
        return metrics.get(metric);
    }

    /** The metric's point value; NaN when undefined. */
    public double value(final Metric metric) {
        return metrics.get(metric).value();
    }
}
