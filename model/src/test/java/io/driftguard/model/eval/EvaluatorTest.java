package io.driftguard.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    /** Scores with many ties (two decimals) that separate the classes imperfectly. */
    static ScoredSet noisySet(final long seed, final int n, final double positiveRate) {
        final Random random = new Random(seed);
        final double[] scores = new double[n];
        final int[] labels = new int[n];
        final String[] country = new String[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < positiveRate ? 1 : 0;
            final double raw = 1 / (1 + Math.exp(-(random.nextGaussian() * 1.2 + (labels[i] == 1 ? 1.5 : -1.5))));
            scores[i] = Math.round(raw * 100) / 100.0;
            country[i] = i % 3 == 0 ? "US" : i % 3 == 1 ? "GB" : "DE";
        }
        return new ScoredSet("noisy-" + seed, scores, labels, Map.of("country", country));
    }

    /** The textbook O(n^2) Mann-Whitney count: pairs where the positive outranks the negative, ties half. */
    private static double pairCountAuc(final double[] s, final int[] y) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        return wins / pairs;
    }

    /** Average precision from a fresh confusion matrix at every distinct score, highest first. */
    private static double bruteForceAveragePrecision(final double[] s, final int[] y) {
        final TreeSet<Double> thresholds = new TreeSet<>();
        for (final double v : s) {
            thresholds.add(v);
        }
        double previousRecall = 0;
        double ap = 0;
        for (final double t : thresholds.descendingSet()) {
            long tp = 0;
            long fp = 0;
            long positives = 0;
            for (int i = 0; i < s.length; i++) {
                positives += y[i];
                if (s[i] >= t) {
                    tp += y[i];
                    fp += 1 - y[i];
                }
            }
            final double recall = tp / (double) positives;
            ap += (recall - previousRecall) * (tp / (double) (tp + fp));
            previousRecall = recall;
        }
        return ap;
    }

    @Test
    void shouldMatchPairCountWhenComputingRocAucWithTies() {
        for (final long seed : new long[] {1, 2, 3}) {
            // Given
            final ScoredSet set = noisySet(seed, 600, 0.2);
            // When
            final double auc = Metrics.rocAuc(set.scores(), set.labels()).orElseThrow();
            // Then
            assertThat(auc).isCloseTo(pairCountAuc(set.scores(), set.labels()), within(1e-12));
        }
    }

    @Test
    void shouldMatchTextbookExampleWhenScoresAreSmall() {
        // Given the classic four-row example
        final double[] s = {0.1, 0.4, 0.35, 0.8};
        final int[] y = {0, 0, 1, 1};
        // When / Then
        assertThat(Metrics.rocAuc(s, y)).hasValue(0.75);
        assertThat(Metrics.averagePrecision(s, y).orElseThrow()).isCloseTo(0.5 * 1.0 + 0.5 * (2.0 / 3.0),
                within(1e-12));
        // and all-tied scores give 0.5
        assertThat(Metrics.rocAuc(new double[] {0.3, 0.3, 0.3}, new int[] {1, 0, 0})).hasValue(0.5);
    }

    @Test
    void shouldMatchBruteForceWhenComputingAveragePrecision() {
        // Given
        final ScoredSet set = noisySet(4, 500, 0.1);
        // When
        final double ap = Metrics.averagePrecision(set.scores(), set.labels()).orElseThrow();
        // Then
        assertThat(ap).isCloseTo(bruteForceAveragePrecision(set.scores(), set.labels()), within(1e-12));
    }

    @Test
    void shouldMatchHandComputationWhenComputingLogLossAndBrier() {
        // Given one confident miss at 0.0 that only clipping keeps finite
        final double[] s = {0.9, 0.2, 0.6, 0.0};
        final int[] y = {1, 0, 0, 1};
        // When
        final double logLoss = Metrics.logLoss(s, y, 1e-15);
        final double brier = Metrics.brier(s, y);
        // Then
        final double expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(1e-15)) / 4;
        assertThat(logLoss).isCloseTo(expected, within(1e-12));
        assertThat(brier).isCloseTo((0.01 + 0.04 + 0.36 + 1.0) / 4, within(1e-12));
    }

    @Test
    void shouldMatchHandWorkedExampleWhenComputingEce() {
        // Given: bin 0 {0.05:0}, bin 1 {0.15:0, 0.15:1}, bin 8 {0.85:1}, bin 9 {0.95:1, 0.95:0, 1.0:1}
        final double[] s = {0.05, 0.15, 0.15, 0.85, 0.95, 0.95, 1.0};
        final int[] y = {0, 0, 1, 1, 1, 0, 1};
        // When
        final double ece = Metrics.expectedCalibrationError(s, y, 10);
        // Then: (1*0.05 + 2*0.35 + 1*0.15 + 3*|0.96667-0.66667|) / 7 = 1.8 / 7
        assertThat(ece).isCloseTo(1.8 / 7, within(1e-12));
    }

    @Test
    void shouldFlagScoresAtOrAboveThresholdWhenBuildingConfusionMatrix() {
        // Given
        final double[] s = {0.5, 0.49, 0.7, 0.2};
        final int[] y = {1, 1, 0, 0};
        // When
        final ConfusionMatrix c = Metrics.confusion(s, y, 0.5);
        // Then
        assertThat(c).isEqualTo(new ConfusionMatrix(1, 1, 1, 1));
        assertThat(c.precision()).isEqualTo(0.5);
        assertThat(c.recall()).isEqualTo(0.5);
        assertThat(c.f1()).isEqualTo(0.5);
        assertThat(c.falsePositiveRate()).isEqualTo(0.5);
        assertThat(Metrics.confusion(s, y, 1.0).precision()).isNaN();
    }

    @Test
    void shouldReportAucUndefinedWhenOnlyOneClassIsPresent() {
        // Given
        final ScoredSet negatives = new ScoredSet("neg", new double[] {0.1, 0.7, 0.3}, new int[] {0, 0, 0});
        // When
        final Evaluation evaluation = Evaluator.evaluate(negatives, EvaluationConfig.defaults());
        // Then
        assertThat(Metrics.rocAuc(negatives.scores(), negatives.labels())).isEmpty();
        assertThat(evaluation.metric(Metric.ROC_AUC).defined()).isFalse();
        assertThat(evaluation.metric(Metric.ROC_AUC).definedResamples()).isZero();
        assertThat(evaluation.metric(Metric.ROC_AUC).lower()).isNaN();
        assertThat(evaluation.metric(Metric.PR_AUC).defined()).isFalse();
        assertThat(evaluation.metric(Metric.RECALL).defined()).isFalse();
        assertThat(evaluation.metric(Metric.BRIER).defined()).isTrue();
        assertThat(evaluation.roc()).isEmpty();
    }

    @Test
    void shouldGiveDeterministicIntervalsAroundThePointWhenBootstrapping() {
        // Given
        final ScoredSet set = noisySet(5, 2000, 0.2);
        final EvaluationConfig config = EvaluationConfig.defaults();
        // When
        final Evaluation a = Evaluator.evaluate(set, config);
        final Evaluation b = Evaluator.evaluate(set, config);
        final Evaluation c = Evaluator.evaluate(set, config.withBootstrap(200, 99L));
        // Then
        assertThat(a.metrics()).isEqualTo(b.metrics());
        assertThat(c.metric(Metric.ROC_AUC).lower()).isNotEqualTo(a.metric(Metric.ROC_AUC).lower());
        for (final MetricEstimate e : a.metrics().values()) {
            assertThat(e.definedResamples()).isEqualTo(200);
            assertThat(e.lower()).isLessThanOrEqualTo(e.value());
            assertThat(e.upper()).isGreaterThanOrEqualTo(e.value());
            assertThat(e.upper()).isGreaterThan(e.lower());
        }
    }

    @Test
    void shouldMatchDeLongStandardErrorWhenBootstrappingAuc() {
        // Given
        final ScoredSet set = noisySet(6, 3000, 0.3);
        // When
        final MetricEstimate auc = Evaluator.evaluate(set, EvaluationConfig.defaults()).metric(Metric.ROC_AUC);
        // Then the 95% interval is about 2 x 1.96 DeLong standard errors wide
        assertThat((auc.upper() - auc.lower()) / (2 * 1.96 * deLongStandardError(set.scores(), set.labels())))
                .isBetween(0.8, 1.25);
    }

    /** DeLong et al. (1988): variance of the AUC from per-positive and per-negative placement values. */
    private static double deLongStandardError(final double[] s, final int[] y) {
        final List<Double> pos = new ArrayList<>();
        final List<Double> neg = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            (y[i] == 1 ? pos : neg).add(s[i]);
        }
        final double[] v10 = new double[pos.size()];
        final double[] v01 = new double[neg.size()];
        for (int i = 0; i < pos.size(); i++) {
            for (int j = 0; j < neg.size(); j++) {
                final double psi = pos.get(i) > neg.get(j) ? 1 : pos.get(i).equals(neg.get(j)) ? 0.5 : 0;
                v10[i] += psi / neg.size();
                v01[j] += psi / pos.size();
            }
        }
        return Math.sqrt(sampleVariance(v10) / v10.length + sampleVariance(v01) / v01.length);
    }

    private static double sampleVariance(final double[] v) {
        double mean = 0;
        for (final double x : v) {
            mean += x / v.length;
        }
        double sum = 0;
        for (final double x : v) {
            sum += (x - mean) * (x - mean);
        }
        return sum / (v.length - 1);
    }

    @Test
    void shouldAgreeWithSubsetsWhenComputingSliceMetrics() {
        // Given
        final ScoredSet set = noisySet(7, 900, 0.25);
        final String[] country = set.slices().get("country");
        // When
        final Evaluation evaluation = Evaluator.evaluate(set, EvaluationConfig.defaults());
        // Then every slice equals the metrics of its own rows
        assertThat(evaluation.slices()).hasSize(3);
        for (final SliceMetrics slice : evaluation.slices()) {
            final List<Double> s = new ArrayList<>();
            final List<Integer> y = new ArrayList<>();
            for (int i = 0; i < set.size(); i++) {
                if (country[i].equals(slice.value())) {
                    s.add(set.scores()[i]);
                    y.add(set.labels()[i]);
                }
            }
            final double[] ss = s.stream().mapToDouble(Double::doubleValue).toArray();
            final int[] yy = y.stream().mapToInt(Integer::intValue).toArray();
            final ConfusionMatrix c = Metrics.confusion(ss, yy, 0.5);
            assertThat(slice.n()).isEqualTo(ss.length);
            assertThat(slice.positives()).isEqualTo(c.positives());
            assertThat(slice.precision()).isEqualTo(c.precision());
            assertThat(slice.recall()).isEqualTo(c.recall());
            assertThat(slice.rocAuc()).isCloseTo(pairCountAuc(ss, yy), within(1e-12));
        }
    }

    @Test
    void shouldFindTheSliceHoldingTheErrorsWhenAnalysingErrors() {
        // Given: all false positives come from channel ONLINE, all false negatives from country XX
        final double[] s = {0.9, 0.8, 0.7, 0.1, 0.2, 0.1, 0.9, 0.1, 0.2, 0.3};
        final int[] y = {0, 0, 0, 0, 1, 1, 1, 0, 0, 0};
        final String[] channel = {"ONLINE", "ONLINE", "ONLINE", "ONLINE", "POS", "POS", "POS", "POS", "POS", "POS"};
        final String[] country = {"US", "GB", "US", "GB", "XX", "XX", "US", "GB", "US", null};
        final Map<String, String[]> slices = new java.util.LinkedHashMap<>();
        slices.put("channel", channel);
        slices.put("country", country);
        // When
        final Evaluation evaluation = Evaluator.evaluate(new ScoredSet("errors", s, y, slices),
                EvaluationConfig.defaults());
        // Then
        final ErrorCluster fp = evaluation.falsePositiveClusters().get(0);
        assertThat(fp.column()).isEqualTo("channel");
        assertThat(fp.value()).isEqualTo("ONLINE");
        assertThat(fp.errors()).isEqualTo(3);
        assertThat(fp.shareOfErrors()).isEqualTo(1.0);
        assertThat(fp.lift()).isCloseTo(2.5, within(1e-12));
        final ErrorCluster fn = evaluation.falseNegativeClusters().get(0);
        assertThat(fn.column()).isEqualTo("country");
        assertThat(fn.value()).isEqualTo("XX");
        assertThat(fn.errors()).isEqualTo(2);
        assertThat(fn.lift()).isCloseTo(5.0, within(1e-12));
        assertThat(evaluation.slices()).anySatisfy(sl -> assertThat(sl.value()).isEqualTo(ScoredSet.NULL_VALUE));
        assertThat(evaluation.slices()).filteredOn(sl -> sl.value().equals("XX"))
                .singleElement().satisfies(sl -> assertThat(sl.rocAuc()).isNaN());
    }

    @Test
    void shouldSweepThresholdsAndBinScoresConsistentlyWhenEvaluating() {
        // Given
        final ScoredSet set = noisySet(8, 1000, 0.2);
        // When
        final Evaluation evaluation = Evaluator.evaluate(set, EvaluationConfig.defaults());
        // Then
        assertThat(evaluation.sweep()).hasSize(19);
        assertThat(evaluation.sweep().stream().mapToDouble(ThresholdRow::flaggedRate).toArray())
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(evaluation.sweep().stream().filter(r -> r.threshold() == 0.5).findFirst().orElseThrow()
                .confusion()).isEqualTo(evaluation.confusion());
        assertThat(evaluation.reliability()).hasSize(10);
        assertThat(evaluation.reliability().stream().mapToLong(ReliabilityBin::count).sum()).isEqualTo(1000);
        assertThat(evaluation.roc().get(evaluation.roc().size() - 1)).satisfies(p -> {
            assertThat(p.x()).isEqualTo(1.0);
            assertThat(p.y()).isEqualTo(1.0);
        });
    }

    @Test
    void shouldGiveZeroDeltaWhenComparingAModelWithItself() {
        // Given
        final ScoredSet set = noisySet(9, 800, 0.2);
        // When
        final Map<Metric, MetricEstimate> deltas = Evaluator.pairedDeltas(set, set, EvaluationConfig.defaults());
        // Then
        assertThat(deltas.values()).allSatisfy(d -> {
            assertThat(d.value()).isZero();
            assertThat(d.lower()).isZero();
            assertThat(d.upper()).isZero();
        });
    }

    @Test
    void shouldExcludeZeroFromThePairedIntervalWhenCandidateIsClearlyBetter() {
        // Given a reference that is the candidate blurred with noise, on the same rows
        final ScoredSet candidate = noisySet(10, 2000, 0.2);
        final Random random = new Random(10);
        final double[] blurred = candidate.scores();
        for (int i = 0; i < blurred.length; i++) {
            blurred[i] = Math.min(1, Math.max(0, blurred[i] + random.nextGaussian() * 0.3));
        }
        final ScoredSet reference = new ScoredSet("blurred", blurred, candidate.labels());
        final EvaluationConfig config = EvaluationConfig.defaults();
        // When
        final MetricEstimate auc = Evaluator.pairedDeltas(candidate, reference, config).get(Metric.ROC_AUC);
        // Then the delta is the difference of the two point values and its interval is above 0
        assertThat(auc.value()).isCloseTo(Evaluator.evaluate(candidate, config).value(Metric.ROC_AUC)
                - Evaluator.evaluate(reference, config).value(Metric.ROC_AUC), within(1e-12));
        assertThat(auc.lower()).isPositive();
        assertThat(auc.upper()).isGreaterThan(auc.value());
    }

    @Test
    void shouldMatchEachModelsOwnThresholdWhenPairedDeltasUseTwoOperatingPoints() {
        // Given two models on the same rows, evaluated at different thresholds
        final ScoredSet candidate = noisySet(11, 1500, 0.2);
        final ScoredSet reference = noisySet(12, 1500, 0.2);
        final ScoredSet sameRows = new ScoredSet("reference", reference.scores(), candidate.labels());
        final EvaluationConfig candidateConfig = EvaluationConfig.defaults().withThreshold(0.3);
        // When
        final Map<Metric, MetricEstimate> deltas = Evaluator.pairedDeltas(candidate, sameRows, candidateConfig, 0.7);
        // Then each threshold-dependent delta is the difference of the values each model reports at its own threshold
        for (final Metric m : new Metric[] {Metric.PRECISION, Metric.RECALL, Metric.F1}) {
            final double expected = Evaluator.evaluate(candidate, candidateConfig).value(m)
                    - Evaluator.evaluate(sameRows, candidateConfig.withThreshold(0.7)).value(m);
            assertThat(deltas.get(m).value()).as(m.key()).isCloseTo(expected, within(1e-12));
            assertThat(deltas.get(m).lower()).as(m.key()).isLessThanOrEqualTo(deltas.get(m).upper());
        }
        assertThat(deltas.get(Metric.RECALL).value()).isPositive();
    }

    @Test
    void shouldRefusePairedComparisonWhenRowsDiffer() {
        // Given
        final ScoredSet a = new ScoredSet("a", new double[] {0.1, 0.9}, new int[] {0, 1});
        final ScoredSet b = new ScoredSet("b", new double[] {0.1, 0.9}, new int[] {1, 1});
        // When / Then
        assertThatThrownBy(() -> Evaluator.pairedDeltas(a, b, EvaluationConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ at row 0");
    }

    @Test
    void shouldRejectBadInputNamingItWhenBuildingAScoredSet() {
        assertThatThrownBy(() -> new ScoredSet("m", new double[] {0.2, 1.2}, new int[] {0, 1}))
                .hasMessageContaining("scores[1]");
        assertThatThrownBy(() -> new ScoredSet("m", new double[] {0.2, Double.NaN}, new int[] {0, 1}))
                .hasMessageContaining("scores[1]");
        assertThatThrownBy(() -> new ScoredSet("m", new double[] {0.2, 0.3}, new int[] {0, 2}))
                .hasMessageContaining("labels[1]");
        assertThatThrownBy(() -> new ScoredSet("m", new double[] {0.2}, new int[] {0, 1}))
                .hasMessageContaining("length");
        assertThatThrownBy(() -> new ScoredSet("m", new double[] {0.2}, new int[] {0},
                Map.of("country", new String[] {"US", "GB"}))).hasMessageContaining("'country'");
    }
}
