package io.driftguard.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Channel;
import io.driftguard.avro.Transaction;
import io.driftguard.model.synth.SynthConfig;
import io.driftguard.model.synth.SyntheticDataGenerator;
import io.driftguard.model.synth.SyntheticRecord;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private static Map<String, String> compact() {
        final Map<String, String> compact = new LinkedHashMap<>();
        compact.put("Goal", "Catch card fraud bursts <early> & cheaply");
        compact.put("Success metric", "PR-AUC above the baseline's upper CI bound");
        compact.put("Mistake budget", "At most 1% of legitimate payments flagged");
        compact.put("Rollback plan", "ROLLBACK to the previous alias on a PR-AUC drop");
        return compact;
    }

    /**
     * Scores synthetic payments with a hand-written rule that uses the hidden process's signals (velocity, amount
     * vs the card's mean, risky category, ONLINE, foreign); the baseline uses amount alone.
     */
    private record Scored(ScoredSet rule, ScoredSet amountOnly) {
    }

    private static Scored scoreSynthetic() {
        final List<SyntheticRecord> records = SyntheticDataGenerator.create(SynthConfig.builder().seed(3L).cards(250)
                .start(Instant.parse("2026-02-01T00:00:00Z")).duration(Duration.ofDays(7)).build()).records().toList();
        final int n = records.size();
        final double[] rule = new double[n];
        final double[] amount = new double[n];
        final int[] labels = new int[n];
        final String[] channel = new String[n];
        final String[] category = new String[n];
        final Map<String, Deque<Long>> recent = new HashMap<>();
        final Map<String, double[]> sums = new HashMap<>();
        final Map<String, String> home = new HashMap<>();
        for (int i = 0; i < n; i++) {
            final Transaction t = records.get(i).transaction();
            final long now = t.getEventTime().toEpochMilli();
            final Deque<Long> window = recent.computeIfAbsent(t.getCardId(), k -> new ArrayDeque<>());
            while (!window.isEmpty() && window.peekFirst() <= now - 3_600_000L) {
                window.pollFirst();
            }
            final double[] s = sums.computeIfAbsent(t.getCardId(), k -> new double[2]);
            final double ratio = s[0] == 0 ? 1.0 : t.getAmount() / (s[1] / s[0]);
            final boolean foreign = !t.getCountry().equals(home.computeIfAbsent(t.getCardId(), k -> t.getCountry()));
            final double logit = -6 + 1.2 * window.size() + 1.0 * Math.log(ratio)
                    + (Set.of("electronics", "gift_cards", "travel").contains(t.getMerchantCategory()) ? 1.5 : 0)
                    + (t.getChannel() == Channel.ONLINE ? 1.0 : 0) + (foreign ? 2.0 : 0);
            rule[i] = 1 / (1 + Math.exp(-logit));
            amount[i] = Math.min(1.0, t.getAmount() / 2000.0);
            labels[i] = records.get(i).fraud() ? 1 : 0;
            channel[i] = t.getChannel().name();
            category[i] = t.getMerchantCategory();
            window.addLast(now);
            s[0]++;
            s[1] += t.getAmount();
        }
        final Map<String, String[]> slices = new LinkedHashMap<>();
        slices.put("channel", channel);
        slices.put("merchantCategory", category);
        return new Scored(new ScoredSet("rule-v2", rule, labels, slices),
                new ScoredSet("amount-v1", amount, labels, slices));
    }

    @Test
    void shouldWriteMarkdownHtmlAndPngChartsWithKeyNumbersWhenReportIsWritten() throws IOException {
        // Given
        final Scored scored = scoreSynthetic();
        final EvaluationConfig config = EvaluationConfig.defaults().withThreshold(0.3);
        final Evaluation candidate = Evaluator.evaluate(scored.rule(), config);
        final Evaluation baseline = Evaluator.evaluate(scored.amountOnly(), config);
        final Map<Metric, MetricEstimate> deltas = Evaluator.pairedDeltas(scored.rule(), scored.amountOnly(), config);
        final EvaluationReport report = EvaluationReport.builder().compact(compact()).candidate(candidate)
                .baseline(baseline, deltas).latency(new LatencyMeasurement("single-row", 1, 121.0, 254.0))
                .latency(new LatencyMeasurement("batch-256", 256, 563.2, 900.0)).build();
        // When
        final EvaluationReport.ReportFiles files = report.write(dir.resolve("out"));
        // Then the charts were drawn headless, the files are there and every chart is a real, non-empty PNG
        assertThat(java.awt.GraphicsEnvironment.isHeadless()).isTrue();
        assertThat(files.markdown()).isRegularFile().hasFileName("report.md");
        assertThat(files.html()).isRegularFile().hasFileName("report.html");
        assertThat(files.charts()).extracting(p -> p.getFileName().toString())
                .containsExactly("roc.png", "pr.png", "reliability.png", "threshold-sweep.png");
        for (final Path chart : files.charts()) {
            assertThat(chart.getParent()).isEqualTo(dir.resolve("out"));
            final byte[] bytes = Files.readAllBytes(chart);
            assertThat(bytes).hasSizeGreaterThan(5000).startsWith(PNG_MAGIC);
            final BufferedImage image = ImageIO.read(chart.toFile());
            assertThat(image.getWidth()).isEqualTo(720);
            assertThat(image.getHeight()).isEqualTo(480);
        }
        // and the rule beats the amount-only baseline, as the hidden process says it should
        assertThat(candidate.value(Metric.ROC_AUC)).isGreaterThan(baseline.value(Metric.ROC_AUC) + 0.05);
        assertThat(candidate.value(Metric.PR_AUC)).isGreaterThan(0.3);
        // and the key numbers appear in both documents
        final String md = Files.readString(files.markdown());
        final String html = Files.readString(files.html());
        final MetricEstimate auc = candidate.metric(Metric.ROC_AUC);
        for (final String doc : List.of(md, html)) {
            assertThat(doc).contains(EvaluationReport.fmt(auc.value()))
                    .contains("[" + EvaluationReport.fmt(auc.lower()) + ", " + EvaluationReport.fmt(auc.upper()) + "]")
                    .contains(EvaluationReport.fmt(baseline.value(Metric.PR_AUC)))
                    .contains(EvaluationReport.fmt(candidate.value(Metric.ECE)))
                    .contains(candidate.confusion().tp() + " TP").contains(candidate.confusion().fp() + " FP")
                    .contains("121.0").contains("254.0").contains("2.20")
                    .contains(candidate.falsePositiveClusters().get(0).value())
                    .contains("roc.png").contains("pr.png").contains("reliability.png")
                    .contains("threshold-sweep.png")
                    .doesNotContain("champion");
        }
        assertThat(md).contains("](roc.png)");
        final MetricEstimate aucDelta = deltas.get(Metric.ROC_AUC);
        assertThat(aucDelta.lower()).isPositive();
        assertThat(md).contains(String.format(java.util.Locale.ROOT, "| %+.4f [%+.4f, %+.4f] (better) |",
                aucDelta.value(), aucDelta.lower(), aucDelta.upper()));
        assertThat(html).contains("<img src=\"roc.png\"").startsWith("<!DOCTYPE html>")
                .doesNotContain("<link").doesNotContain("<script");
    }

    @Test
    void shouldRenderTheCompactFirstInOrderWhenReportIsRendered() {
        // Given
        final ScoredSet set = EvaluatorTest.noisySet(1, 300, 0.3);
        final Evaluation e = Evaluator.evaluate(set, EvaluationConfig.defaults());
        final EvaluationReport report = EvaluationReport.builder().compact(compact()).candidate(e).baseline(e)
                .build();
        // When
        final String md = report.markdown();
        final String html = report.html();
        // Then the compact headings come first, in the given order, before any result
        assertThat(md).startsWith("# Evaluation report: noisy-1\n\n## Iteration compact\n\n### Goal\n\n");
        final int goal = md.indexOf("### Goal");
        final int metric = md.indexOf("### Success metric");
        final int budget = md.indexOf("### Mistake budget");
        final int rollback = md.indexOf("### Rollback plan");
        assertThat(goal).isLessThan(metric);
        assertThat(metric).isLessThan(budget);
        assertThat(budget).isLessThan(rollback);
        assertThat(rollback).isLessThan(md.indexOf("## Summary"));
        assertThat(html.indexOf("<h3>Goal</h3>")).isLessThan(html.indexOf("<h2>Summary</h2>"));
        // and text is escaped in HTML
        assertThat(html).contains("Catch card fraud bursts &lt;early&gt; &amp; cheaply");
        assertThat(md).contains("No latency measurements were provided.").contains("| metric | value | 95% CI |");
    }

    @Test
    void shouldCompareWithChampionAndPrintUndefinedAsNaWhenOneClassOnly() throws IOException {
        // Given a champion and a baseline evaluated on a one-class set (AUC undefined)
        final Evaluation candidate = Evaluator.evaluate(EvaluatorTest.noisySet(2, 400, 0.2),
                EvaluationConfig.defaults());
        final Evaluation champion = Evaluator.evaluate(EvaluatorTest.noisySet(3, 400, 0.2),
                EvaluationConfig.defaults());
        final Evaluation oneClass = Evaluator.evaluate(new ScoredSet("all-legit", new double[] {0.1, 0.2, 0.9},
                new int[] {0, 0, 0}), EvaluationConfig.defaults());
        final EvaluationReport report = EvaluationReport.builder().compact(compact()).candidate(candidate)
                .baseline(oneClass).champion(champion).build();
        // When
        final EvaluationReport.ReportFiles files = report.write(dir);
        final String md = Files.readString(files.markdown());
        // Then
        // the comparison row is the roc_auc row with six cells (the metric table's has four)
        final String aucRow = md.lines().filter(l -> l.startsWith("| roc_auc |") && l.split("\\|").length == 7)
                .findFirst().orElseThrow();
        assertThat(aucRow).contains(EvaluationReport.fmt(candidate.value(Metric.ROC_AUC)))
                .contains("| n/a | n/a |")
                .contains(EvaluationReport.fmt(champion.value(Metric.ROC_AUC)));
        assertThat(md).contains("| Δ vs champion |");
        assertThat(files.charts()).allSatisfy(p -> assertThat(Files.size(p)).isPositive());
    }

    @Test
    void shouldRejectReportWithClearMessageWhenPartsAreMissing() {
        // Given
        final Evaluation e = Evaluator.evaluate(EvaluatorTest.noisySet(1, 100, 0.3), EvaluationConfig.defaults());
        // When / Then
        assertThatThrownBy(() -> EvaluationReport.builder().candidate(e).baseline(e).build())
                .hasMessageContaining("compact");
        assertThatThrownBy(() -> EvaluationReport.builder().compact(compact()).candidate(e).build())
                .hasMessageContaining("baseline");
        assertThatThrownBy(() -> new LatencyMeasurement("batch", 0, 1, 2)).hasMessageContaining("rowsPerCall");
    }
}
