package io.driftguard.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThresholdRuleTest {
  // scores descending: pos, pos, neg, pos, neg, neg, pos, neg
  private static final double[] SCORES = {0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3};
  private static final int[] LABELS = {1, 1, 0, 1, 0, 0, 1, 0};

  @Test
  void shouldPickLowestThresholdMeetingPrecisionWhenBudgetIsPrecision() {
    // precision at 0.9: 2/2, at 0.8: 2/3, at 0.7: 3/4, at 0.6: 3/5, at 0.4: 4/7
    assertThat(ThresholdRule.choose(MistakeBudget.parse("precision >= 0.75"), SCORES, LABELS)).isEqualTo(0.7);
    assertThat(ThresholdRule.choose(MistakeBudget.parse("precision >= 0.5"), SCORES, LABELS)).isEqualTo(0.3);
  }

  @Test
  void shouldPickHighestThresholdMeetingRecallWhenBudgetIsRecall() {
    // recall at 0.7: 3/4, at 0.4: 4/4
    assertThat(ThresholdRule.choose(MistakeBudget.parse("recall >= 0.75"), SCORES, LABELS)).isEqualTo(0.7);
    assertThat(ThresholdRule.choose(MistakeBudget.parse("recall >= 1.0"), SCORES, LABELS)).isEqualTo(0.4);
  }

  @Test
  void shouldPickLowestThresholdWithinFprWhenBudgetIsFpr() {
    // fpr at 0.9: 0/4, at 0.7: 1/4, at 0.6: 2/4
    assertThat(ThresholdRule.choose(MistakeBudget.parse("fpr <= 0.25"), SCORES, LABELS)).isEqualTo(0.7);
    assertThat(ThresholdRule.choose(MistakeBudget.parse("fpr <= 0.0"), SCORES, LABELS)).isEqualTo(0.9);
  }

  @Test
  void shouldPickTheClosestThresholdWhenNoThresholdMeetsTheBudgetOfAReference() {
    // Given: precision at 0.9: 0/1, at 0.8: 1/2, at 0.1: 1/3; none reaches 0.9
    final double[] scores = {0.9, 0.8, 0.1};
    final int[] labels = {0, 1, 0};

    // When
    final double closest = ThresholdRule.chooseOrClosest(MistakeBudget.parse("precision >= 0.9"), scores, labels);

    // Then: 0.5 at 0.8 is nearest to the bound
    assertThat(closest).isEqualTo(0.8);
  }

  @Test
  void shouldAgreeWithChooseWhenTheBudgetCanBeMet() {
    // Given / When / Then: the fallback only applies when the budget is out of reach
    for (final String budget : new String[] {"precision >= 0.75", "recall >= 0.75", "fpr <= 0.25"}) {
      assertThat(ThresholdRule.chooseOrClosest(MistakeBudget.parse(budget), SCORES, LABELS)).as(budget)
          .isEqualTo(ThresholdRule.choose(MistakeBudget.parse(budget), SCORES, LABELS));
    }
  }

  @Test
  void shouldFailNamingBudgetWhenNoThresholdMeetsIt() {
    final double[] scores = {0.9, 0.8, 0.1};
    final int[] labels = {0, 1, 0};

    assertThatThrownBy(() -> ThresholdRule.choose(MistakeBudget.parse("precision >= 0.9"), scores, labels))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("precision >= 0.9")
        .hasMessageContaining("best achievable precision 0.5");
  }

  @Test
  void shouldRejectBudgetsWithTheWrongDirectionWhenParsing() {
    assertThatThrownBy(() -> MistakeBudget.parse("fpr >= 0.1")).hasMessageContaining("fpr must be bounded with <=");
    assertThatThrownBy(() -> MistakeBudget.parse("accuracy >= 0.1")).hasMessageContaining("compact.mistakeBudget");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"precision >= 0.4", "recall >= 0.7", "fpr <= 0.05"})
  void shouldAgreeWithABruteForceSearchWhenScoresHaveTies(final String text) {
    // Given noisy scores rounded to two decimals (many ties)
    final java.util.SplittableRandom rnd = new java.util.SplittableRandom(17);
    final int n = 2_000;
    final double[] scores = new double[n];
    final int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rnd.nextDouble() < 0.2 ? 1 : 0;
      scores[i] = Math.round(Math.min(1, Math.max(0, 0.3 * labels[i] + 0.35 + 0.2 * rnd.nextGaussian())) * 100) / 100.0;
    }
    final MistakeBudget budget = MistakeBudget.parse(text);

    // When choosing by the sweep and by checking every candidate directly
    final double chosen = ThresholdRule.choose(budget, scores, labels);
    Double expected = null;
    for (final double t : java.util.Arrays.stream(scores).distinct().sorted().toArray()) {
      final Metrics.Confusion c = Metrics.Confusion.at(scores, labels, t);
      final boolean ok = switch (budget.metric()) {
        case PRECISION -> c.precision() >= budget.bound();
        case RECALL -> c.recall() >= budget.bound();
        case FPR -> c.fpr() <= budget.bound();
      };
      if (ok && (expected == null || budget.metric() == MistakeBudget.Metric.RECALL)) {
        expected = t;
      }
    }

    // Then both pick the same threshold
    assertThat(chosen).isEqualTo(expected);
  }
}
