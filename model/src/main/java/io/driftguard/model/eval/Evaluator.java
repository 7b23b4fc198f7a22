package io.driftguard.model.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Computes an {@link Evaluation}: metrics at the threshold with percentile-bootstrap confidence intervals (rows
 * resampled with replacement, seeded), reliability bins, a threshold sweep, ROC and PR curves, per-slice metrics and
 * the largest false-positive and false-negative clusters by slice value.
 */
public final class Evaluator {
    private Evaluator() {
    }

    public static Evaluation evaluate(final ScoredSet set, final EvaluationConfig config) {
        if (set == null) {
            throw new IllegalArgumentException("scored set must not be null");
        }
        if (config == null) {
            throw new IllegalArgumentException("evaluation config must not be null");
        }
        final RankedScores ranked = new RankedScores(set);
        final ConfusionMatrix confusion = ranked.confusion(null, config.threshold());
        final double[] point = metricValues(ranked, null, config);
        final Map<Metric, MetricEstimate> metrics = bootstrap(ranked, point, config);
        final List<ThresholdRow> sweep = new ArrayList<>();
        for (final double t : config.sweepThresholds()) {
            sweep.add(new ThresholdRow(t, ranked.confusion(null, t)));
        }
        final SliceAnalysis slices = sliceAnalysis(set, ranked, config);
        return new Evaluation(set.name(), set.size(), confusion.positives(), config, confusion, metrics,
                ranked.reliability(config.calibrationBins()), sweep, ranked.rocCurve(), ranked.prCurve(),
                slices.metrics, slices.falsePositives, slices.falseNegatives);
    }

    /** Values in {@link Metric} ordinal order. */
    private static double[] metricValues(final RankedScores ranked, final int[] w, final EvaluationConfig config) {
        final ConfusionMatrix c = ranked.confusion(w, config.threshold());
        final double[] v = new double[Metric.values().length];
        v[Metric.PRECISION.ordinal()] = c.precision();
        v[Metric.RECALL.ordinal()] = c.recall();
        v[Metric.F1.ordinal()] = c.f1();
        v[Metric.ROC_AUC.ordinal()] = ranked.rocAuc(w);
        v[Metric.PR_AUC.ordinal()] = ranked.averagePrecision(w);
        v[Metric.LOG_LOSS.ordinal()] = ranked.logLoss(w, config.logLossEpsilon());
        v[Metric.BRIER.ordinal()] = ranked.brier(w);
        v[Metric.ECE.ordinal()] = ranked.ece(w, config.calibrationBins());
        return v;
    }

    private static Map<Metric, MetricEstimate> bootstrap(final RankedScores ranked, final double[] point,
                                                         final EvaluationConfig config) {
        return bootstrap(ranked.size(), point, config, w -> metricValues(ranked, w, config));
    }

    /**
     * Paired comparison of two models scored on the same rows: for each metric, candidate minus reference, with a
     * percentile-bootstrap interval where both models see the same resampled rows in every resample (so the
     * interval reflects the difference, not the two sets' separate noise). An interval above 0 for a
     * higher-is-better metric means the candidate is better at the configured confidence.
     *
     * @throws IllegalArgumentException when the sets differ in size or in any label
     */
    public static Map<Metric, MetricEstimate> pairedDeltas(final ScoredSet candidate, final ScoredSet reference,
                                                           final EvaluationConfig config) {
        return pairedDeltas(candidate, reference, config, config == null ? 0.5 : config.threshold());
    }

    /**
     * As {@link #pairedDeltas(ScoredSet, ScoredSet, EvaluationConfig)}, with each model at its own decision
     * threshold: the candidate at {@code config.threshold()}, the reference at {@code referenceThreshold}. Use it
     * when the two models were evaluated at different operating points, so that the deltas of threshold-dependent
     * metrics (precision, recall, F1) match the values reported for each model.
     */
    public static Map<Metric, MetricEstimate> pairedDeltas(final ScoredSet candidate, final ScoredSet reference,
                                                           final EvaluationConfig config,
                                                           final double referenceThreshold) {
        if (candidate == null || reference == null || config == null) {
            throw new IllegalArgumentException("candidate, reference and config must not be null");
        }
        if (candidate.size() != reference.size()) {
            throw new IllegalArgumentException("paired comparison needs the same rows: '" + candidate.name()
                    + "' has " + candidate.size() + " rows, '" + reference.name() + "' has " + reference.size());
        }
        for (int i = 0; i < candidate.size(); i++) {
            if (candidate.label(i) != reference.label(i)) {
                throw new IllegalArgumentException("paired comparison needs the same rows: labels of '"
                        + candidate.name() + "' and '" + reference.name() + "' differ at row " + i);
            }
        }
        final RankedScores a = new RankedScores(candidate);
        final RankedScores b = new RankedScores(reference);
        final EvaluationConfig referenceConfig = config.withThreshold(referenceThreshold);
        final java.util.function.Function<int[], double[]> delta = w -> {
            final double[] va = metricValues(a, w, config);
            final double[] vb = metricValues(b, w, referenceConfig);
            final double[] d = new double[va.length];
            for (int m = 0; m < d.length; m++) {
                d[m] = va[m] - vb[m];
            }
            return d;
        };
        return bootstrap(candidate.size(), delta.apply(null), config, delta);
    }

    private static Map<Metric, MetricEstimate> bootstrap(final int n, final double[] point,
                                                         final EvaluationConfig config,
                                                         final java.util.function.Function<int[], double[]> values) {
        final Metric[] all = Metric.values();
        final int resamples = config.bootstrapResamples();
        final double[][] samples = new double[all.length][resamples];
        final SplittableRandom random = new SplittableRandom(config.seed());
        final int[] w = new int[n];
        for (int r = 0; r < resamples; r++) {
            Arrays.fill(w, 0);
            for (int k = 0; k < n; k++) {
                w[random.nextInt(n)]++;
            }
            final double[] v = values.apply(w);
            for (int m = 0; m < all.length; m++) {
                samples[m][r] = v[m];
            }
        }
        final double alpha = 1 - config.confidenceLevel();
        final Map<Metric, MetricEstimate> out = new EnumMap<>(Metric.class);
        for (int m = 0; m < all.length; m++) {
            final double[] defined = Arrays.stream(samples[m]).filter(x -> !Double.isNaN(x)).sorted().toArray();
            final double lower = quantile(defined, alpha / 2);
            final double upper = quantile(defined, 1 - alpha / 2);
            out.put(all[m], new MetricEstimate(all[m], point[m], lower, upper, defined.length));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Linear interpolation between order statistics (Hyndman-Fan type 7); NaN for no values. */
    static double quantile(final double[] sorted, final double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        final double h = (sorted.length - 1) * p;
        final int lo = (int) Math.floor(h);
        final int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private record SliceAnalysis(List<SliceMetrics> metrics, List<ErrorCluster> falsePositives,
                                 List<ErrorCluster> falseNegatives) {
    }

    private static SliceAnalysis sliceAnalysis(final ScoredSet set, final RankedScores ranked,
                                               final EvaluationConfig config) {
        final int n = set.size();
        final boolean[] flagged = new boolean[n];
        long totalFp = 0;
        long totalFn = 0;
        for (int i = 0; i < n; i++) {
            flagged[i] = set.score(i) >= config.threshold();
            totalFp += flagged[i] && set.label(i) == 0 ? 1 : 0;
            totalFn += !flagged[i] && set.label(i) == 1 ? 1 : 0;
        }
        final List<SliceMetrics> metrics = new ArrayList<>();
        final List<ErrorCluster> fps = new ArrayList<>();
        final List<ErrorCluster> fns = new ArrayList<>();
        for (final Map.Entry<String, String[]> column : set.slicesView().entrySet()) {
            final String[] values = column.getValue();
            // value -> {rows, false positives, false negatives}
            final Map<String, long[]> counts = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                final long[] c = counts.computeIfAbsent(values[i], k -> new long[3]);
                c[0]++;
                c[1] += flagged[i] && set.label(i) == 0 ? 1 : 0;
                c[2] += !flagged[i] && set.label(i) == 1 ? 1 : 0;
            }
            final List<Map.Entry<String, long[]>> bySize = new ArrayList<>(counts.entrySet());
            bySize.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                    .thenComparing(Map.Entry::getKey));
            for (final Map.Entry<String, long[]> e : bySize.subList(0, Math.min(bySize.size(),
                    config.maxSliceValues()))) {
                final int[] mask = new int[n];
                for (int i = 0; i < n; i++) {
                    mask[i] = values[i].equals(e.getKey()) ? 1 : 0;
                }
                final ConfusionMatrix c = ranked.confusion(mask, config.threshold());
                metrics.add(new SliceMetrics(column.getKey(), e.getKey(), c.n(), c.positives(), c.flagged(),
                        c.precision(), c.recall(), ranked.rocAuc(mask)));
            }
            for (final Map.Entry<String, long[]> e : counts.entrySet()) {
                final long size = e.getValue()[0];
                addCluster(fps, ErrorCluster.ErrorKind.FALSE_POSITIVE, column.getKey(), e.getKey(), e.getValue()[1],
                        totalFp, size, n);
                addCluster(fns, ErrorCluster.ErrorKind.FALSE_NEGATIVE, column.getKey(), e.getKey(), e.getValue()[2],
                        totalFn, size, n);
            }
        }
        return new SliceAnalysis(metrics, top(fps, config.maxErrorClusters()), top(fns, config.maxErrorClusters()));
    }

    private static void addCluster(final List<ErrorCluster> out, final ErrorCluster.ErrorKind kind,
                                   final String column, final String value, final long errors, final long total,
                                   final long size, final int n) {
        if (errors > 0) {
            final double share = errors / (double) total;
            out.add(new ErrorCluster(kind, column, value, errors, share, size, share / (size / (double) n)));
        }
    }

    private static List<ErrorCluster> top(final List<ErrorCluster> clusters, final int k) {
        clusters.sort(Comparator.comparingLong(ErrorCluster::errors).reversed()
                .thenComparing(Comparator.comparingDouble(ErrorCluster::lift).reversed())
                .thenComparing(ErrorCluster::column).thenComparing(ErrorCluster::value));
        return List.copyOf(clusters.subList(0, Math.min(k, clusters.size())));
    }
}
