package io.driftguard.model.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The evaluation report of a candidate model: {@code report.md} and a self-contained {@code report.html} that
 * references PNG charts written beside it (ROC, precision-recall, reliability, threshold sweep).
 *
 * <p>Sections, in order: the iteration compact (given by the caller, e.g. goal, success metric, mistake budget,
 * rollback plan), a summary, the candidate's metrics with bootstrap confidence intervals, the comparison with the
 * baseline and, when given, the current champion, the confusion matrix, the charts, calibration bins, the threshold
 * sweep, slice metrics, error clusters and scoring latency. Undefined values print as {@code n/a}.
 */
public final class EvaluationReport {
    public static final String MARKDOWN_FILE = "report.md";
    public static final String HTML_FILE = "report.html";

    private final String title;
    private final Map<String, String> compact;
    private final Evaluation candidate;
    private final Evaluation baseline;
    private final Evaluation champion;
    private final Map<Metric, MetricEstimate> baselineDeltas;
    private final Map<Metric, MetricEstimate> championDeltas;
    private final List<LatencyMeasurement> latency;

    private EvaluationReport(final Builder b) {
        if (b.candidate == null) {
            throw new IllegalArgumentException("report needs a candidate evaluation");
        }
        if (b.baseline == null) {
            throw new IllegalArgumentException("report needs a baseline evaluation");
        }
        if (b.compact.isEmpty()) {
            throw new IllegalArgumentException("report needs an iteration compact (heading -> text), none given");
        }
        candidate = b.candidate;
        baseline = b.baseline;
        champion = b.champion;
        baselineDeltas = b.baselineDeltas;
        championDeltas = b.championDeltas;
        compact = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.compact));
        latency = List.copyOf(b.latency);
        title = b.title != null ? b.title : "Evaluation report: " + candidate.name();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Files written by {@link #write(Path)}. */
    public record ReportFiles(Path markdown, Path html, List<Path> charts) {
        public ReportFiles {
            Objects.requireNonNull(markdown, "markdown");
            Objects.requireNonNull(html, "html");
            charts = List.copyOf(charts);
        }
    }

    /** Writes report.md, report.html and the PNG charts into {@code dir} (created if missing). */
    public ReportFiles write(final Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Files.createDirectories(dir);
        final List<ReportCharts.Labelled> drawn = new ArrayList<>();
        drawn.add(new ReportCharts.Labelled("candidate " + candidate.name(), candidate));
        drawn.add(new ReportCharts.Labelled("baseline " + baseline.name(), baseline));
        if (champion != null) {
            drawn.add(new ReportCharts.Labelled("champion " + champion.name(), champion));
        }
        final List<Path> charts = ReportCharts.writeAll(dir, drawn);
        final ReportDocument document = document();
        final Path markdown = dir.resolve(MARKDOWN_FILE);
        final Path html = dir.resolve(HTML_FILE);
        Files.writeString(markdown, document.markdown(), StandardCharsets.UTF_8);
        Files.writeString(html, document.html(), StandardCharsets.UTF_8);
        return new ReportFiles(markdown, html, charts);
    }

    /** The Markdown text alone (no charts are drawn). */
    public String markdown() {
        return document().markdown();
    }

    /** The HTML text alone (no charts are drawn). */
    public String html() {
        return document().html();
    }

    private ReportDocument document() {
        final ReportDocument doc = new ReportDocument(title);
        doc.heading(2, "Iteration compact");
        compact.forEach((heading, text) -> doc.heading(3, heading).paragraph(text));
        summary(doc);
        metricTable(doc);
        comparison(doc);
        confusion(doc);
        doc.heading(2, "Charts");
        doc.image("ROC curves", ReportCharts.ROC);
        doc.image("Precision-recall curves", ReportCharts.PR);
        doc.image("Reliability plot", ReportCharts.RELIABILITY);
        doc.image("Threshold sweep", ReportCharts.SWEEP);
        calibration(doc);
        sweep(doc);
        slices(doc);
        errors(doc);
        latency(doc);
        return doc;
    }

    private void summary(final ReportDocument doc) {
        final EvaluationConfig c = candidate.config();
        final List<String> items = new ArrayList<>();
        items.add("Candidate: " + candidate.name() + ", " + candidate.n() + " rows, " + candidate.positives()
                + " positives (" + pct(candidate.positives() / (double) candidate.n()) + ")");
        items.add("Baseline: " + baseline.name() + ", " + baseline.n() + " rows, " + baseline.positives()
                + " positives");
        if (champion != null) {
            items.add("Champion: " + champion.name() + ", " + champion.n() + " rows, " + champion.positives()
                    + " positives");
        }
        items.add("Decision threshold: score >= " + fmt(c.threshold()));
        items.add("Confidence intervals: " + level(c.confidenceLevel()) + " percentile bootstrap, "
                + c.bootstrapResamples() + " resamples of rows, seed " + c.seed());
        items.add("ECE: " + c.calibrationBins() + " equal-width bins [b/B, (b+1)/B), last bin closed at 1.0, "
                + "weighted by bin size; log loss clips probabilities to [" + c.logLossEpsilon() + ", 1 - "
                + c.logLossEpsilon() + "]");
        doc.heading(2, "Summary").bullets(items);
    }

    private void metricTable(final ReportDocument doc) {
        final String ci = level(candidate.config().confidenceLevel()) + " CI";
        final List<List<String>> rows = new ArrayList<>();
        for (final MetricEstimate e : candidate.metrics().values()) {
            rows.add(List.of(e.metric().key(), fmt(e.value()),
                    e.definedResamples() == 0 ? "n/a" : "[" + fmt(e.lower()) + ", " + fmt(e.upper()) + "]",
                    e.metric().higherIsBetter() ? "higher" : "lower"));
        }
        doc.heading(2, "Metrics: " + candidate.name())
                .table(List.of("metric", "value", ci, "better is"), rows);
    }

    private void comparison(final ReportDocument doc) {
        final List<String> header = new ArrayList<>(List.of("metric", "candidate", "baseline", "Δ vs baseline"));
        if (champion != null) {
            header.addAll(List.of("champion", "Δ vs champion"));
        }
        final List<List<String>> rows = new ArrayList<>();
        for (final Metric m : Metric.values()) {
            final List<String> row = new ArrayList<>();
            row.add(m.key());
            row.add(fmt(candidate.value(m)));
            row.add(fmt(baseline.value(m)));
            row.add(delta(m, candidate.value(m), baseline.value(m), baselineDeltas));
            if (champion != null) {
                row.add(fmt(champion.value(m)));
                row.add(delta(m, candidate.value(m), champion.value(m), championDeltas));
            }
            rows.add(row);
        }
        doc.heading(2, "Comparison").paragraph("Δ is candidate minus reference; 'better'/'worse' follows each "
                + "metric's direction. Where a paired bootstrap on the same rows was given, Δ carries its "
                + level(candidate.config().confidenceLevel()) + " interval and the verdict holds only when the "
                + "interval excludes 0; otherwise the verdict is the sign alone.")
                .table(header, rows);
    }

    private static String delta(final Metric metric, final double candidate, final double reference,
                                final Map<Metric, MetricEstimate> paired) {
        if (Double.isNaN(candidate) || Double.isNaN(reference)) {
            return "n/a";
        }
        final double d = candidate - reference;
        final MetricEstimate ci = paired == null ? null : paired.get(metric);
        if (ci != null && ci.definedResamples() > 0) {
            final String interval = " [" + fmtSigned(ci.lower()) + ", " + fmtSigned(ci.upper()) + "]";
            if (ci.lower() > 0 || ci.upper() < 0) {
                final boolean better = metric.higherIsBetter() == ci.lower() > 0;
                return fmtSigned(d) + interval + (better ? " (better)" : " (worse)");
            }
            return fmtSigned(d) + interval + " (no clear difference)";
        }
        if (d == 0) {
            return fmtSigned(d) + " (same)";
        }
        final boolean better = metric.higherIsBetter() == d > 0;
        return fmtSigned(d) + (better ? " (better)" : " (worse)");
    }

    private void confusion(final ReportDocument doc) {
        final ConfusionMatrix c = candidate.confusion();
        doc.heading(2, "Confusion matrix (threshold " + fmt(candidate.config().threshold()) + ")")
                .table(List.of("", "flagged (score >= threshold)", "not flagged"), List.of(
                        List.of("actual positive", Long.toString(c.tp()) + " TP", Long.toString(c.fn()) + " FN"),
                        List.of("actual negative", Long.toString(c.fp()) + " FP", Long.toString(c.tn()) + " TN")));
    }

    private void calibration(final ReportDocument doc) {
        final List<List<String>> rows = new ArrayList<>();
        for (final ReliabilityBin b : candidate.reliability()) {
            rows.add(List.of("[" + fmt2(b.lower()) + ", " + fmt2(b.upper()) + (b.index()
                    == candidate.reliability().size() - 1 ? "]" : ")"), Long.toString(b.count()), fmt(b.meanScore()),
                    fmt(b.observedRate())));
        }
        doc.heading(2, "Calibration").table(List.of("score bin", "rows", "mean score", "observed rate"), rows);
    }

    private void sweep(final ReportDocument doc) {
        final List<List<String>> rows = new ArrayList<>();
        for (final ThresholdRow r : candidate.sweep()) {
            rows.add(List.of(fmt2(r.threshold()), fmt(r.precision()), fmt(r.recall()), fmt(r.falsePositiveRate()),
                    fmt(r.flaggedRate()), Long.toString(r.confusion().tp()), Long.toString(r.confusion().fp())));
        }
        doc.heading(2, "Threshold sweep").table(List.of("threshold", "precision", "recall", "FPR", "flagged rate",
                "TP", "FP"), rows);
    }

    private void slices(final ReportDocument doc) {
        doc.heading(2, "Slices");
        if (candidate.slices().isEmpty()) {
            doc.paragraph("No slice columns were given.");
            return;
        }
        final List<List<String>> rows = new ArrayList<>();
        for (final SliceMetrics s : candidate.slices()) {
            rows.add(List.of(s.column(), s.value(), Long.toString(s.n()), Long.toString(s.positives()),
                    fmt(s.precision()), fmt(s.recall()), fmt(s.rocAuc())));
        }
        doc.paragraph("Up to " + candidate.config().maxSliceValues() + " most frequent values per column; AUC is "
                + "n/a where a slice has one class.")
                .table(List.of("column", "value", "rows", "positives", "precision", "recall", "ROC-AUC"), rows);
    }

    private void errors(final ReportDocument doc) {
        doc.heading(2, "Error analysis");
        clusterTable(doc, "Largest false-positive clusters", candidate.falsePositiveClusters());
        clusterTable(doc, "Largest false-negative clusters", candidate.falseNegativeClusters());
    }

    private static void clusterTable(final ReportDocument doc, final String heading,
                                     final List<ErrorCluster> clusters) {
        doc.heading(3, heading);
        if (clusters.isEmpty()) {
            doc.paragraph("None (no such errors, or no slice columns).");
            return;
        }
        final List<List<String>> rows = new ArrayList<>();
        for (final ErrorCluster c : clusters) {
            rows.add(List.of(c.column(), c.value(), Long.toString(c.errors()), pct(c.shareOfErrors()),
                    Long.toString(c.sliceSize()), fmt2(c.lift())));
        }
        doc.table(List.of("column", "value", "errors", "share of errors", "slice rows", "lift"), rows);
    }

    private void latency(final ReportDocument doc) {
        doc.heading(2, "Latency");
        if (latency.isEmpty()) {
            doc.paragraph("No latency measurements were provided.");
            return;
        }
        final List<List<String>> rows = new ArrayList<>();
        for (final LatencyMeasurement l : latency) {
            rows.add(List.of(l.mode(), Integer.toString(l.rowsPerCall()), fmt1(l.p50Micros()), fmt1(l.p99Micros()),
                    fmt2(l.perRowMicros()), String.format(Locale.ROOT, "%.0f", l.rowsPerSecond())));
        }
        doc.table(List.of("mode", "rows per call", "p50 µs", "p99 µs", "µs per row (p50)", "rows/s (one thread)"),
                rows);
    }

    /** Four decimals, or n/a for an undefined value. */
    static String fmt(final double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String fmtSigned(final double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }

    private static String fmt2(final double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmt1(final double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pct(final double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    /** A confidence level as people write it: 95%, 99.5%. */
    private static String level(final double v) {
        return java.math.BigDecimal.valueOf(Math.round(v * 1e6) / 1e4).stripTrailingZeros().toPlainString() + "%";
    }

    /** Collects the report's parts; candidate, baseline and a non-empty compact are required. */
    public static final class Builder {
        private String title;
        private final Map<String, String> compact = new LinkedHashMap<>();
        private Evaluation candidate;
        private Evaluation baseline;
        private Evaluation champion;
        private Map<Metric, MetricEstimate> baselineDeltas;
        private Map<Metric, MetricEstimate> championDeltas;
        private final List<LatencyMeasurement> latency = new ArrayList<>();

        private Builder() {
        }

        public Builder title(final String value) {
            title = value;
            return this;
        }

        /** The iteration compact, rendered first, in the map's iteration order. */
        public Builder compact(final Map<String, String> headingToText) {
            Objects.requireNonNull(headingToText, "compact");
            headingToText.forEach(this::compactEntry);
            return this;
        }

        public Builder compactEntry(final String heading, final String text) {
            if (heading == null || heading.isBlank()) {
                throw new IllegalArgumentException("compact headings must not be blank");
            }
            if (text == null) {
                throw new IllegalArgumentException("compact text for '" + heading + "' must not be null");
            }
            compact.put(heading, text);
            return this;
        }

        public Builder candidate(final Evaluation value) {
            candidate = value;
            return this;
        }

        public Builder baseline(final Evaluation value) {
            baseline = value;
            return this;
        }

        /** The baseline with {@link Evaluator#pairedDeltas} of candidate minus baseline on the same rows. */
        public Builder baseline(final Evaluation value, final Map<Metric, MetricEstimate> pairedDeltas) {
            baseline = value;
            baselineDeltas = Map.copyOf(Objects.requireNonNull(pairedDeltas, "pairedDeltas"));
            return this;
        }

        /** Optional: the model currently serving. */
        public Builder champion(final Evaluation value) {
            champion = value;
            return this;
        }

        /** Optional: the serving model with {@link Evaluator#pairedDeltas} of candidate minus champion. */
        public Builder champion(final Evaluation value, final Map<Metric, MetricEstimate> pairedDeltas) {
            champion = value;
            championDeltas = Map.copyOf(Objects.requireNonNull(pairedDeltas, "pairedDeltas"));
            return this;
        }

        public Builder latency(final LatencyMeasurement value) {
            latency.add(Objects.requireNonNull(value, "latency"));
            return this;
        }

        public EvaluationReport build() {
            return new EvaluationReport(this);
        }
    }
}
