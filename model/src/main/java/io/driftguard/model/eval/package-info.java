/**
 * Offline evaluation of a scored set and the evaluation report.
 *
 * <pre>{@code
 * EvaluationConfig config = EvaluationConfig.defaults().withThreshold(0.3);
 * Evaluation candidate = Evaluator.evaluate(new ScoredSet("v2", scores, labels, slices), config);
 * Evaluation baseline = Evaluator.evaluate(new ScoredSet("v1", baselineScores, labels, slices), config);
 * Map<Metric, MetricEstimate> deltas = Evaluator.pairedDeltas(candidateSet, baselineSet, config);
 * EvaluationReport.builder().compact(compact).candidate(candidate).baseline(baseline, deltas)
 *         .latency(new LatencyMeasurement("single-row", 1, 121, 254)).build().write(Path.of("report"));
 * }</pre>
 *
 * <p>Definitions: a row is flagged when score {@code >=} threshold; ROC-AUC counts ties as one half; PR-AUC is
 * average precision with tied scores as one threshold; log loss clips probabilities to [eps, 1 - eps]; ECE uses
 * equal-width bins [b/B, (b+1)/B) (last bin closed) weighted by bin size. Undefined values are NaN (empty
 * {@link java.util.OptionalDouble} in {@link io.driftguard.model.eval.Metrics}) and print as {@code n/a}.
 * Confidence intervals are percentile bootstrap over rows with a fixed seed.
 */
package io.driftguard.model.eval;
