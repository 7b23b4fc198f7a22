package io.driftguard.model.eval;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of the report, drawn with XChart off-screen. */
final class ReportCharts {
    static final String ROC = "roc.png";
    static final String PR = "pr.png";
    static final String RELIABILITY = "reliability.png";
    static final String SWEEP = "threshold-sweep.png";
    private static final int MAX_POINTS = 2000;
    private static final int WIDTH = 720;
    private static final int HEIGHT = 480;

    static {
        // Reports are written by servers and CI without a display; XChart draws through AWT.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** A named set of evaluations to draw, candidate first. */
    record Labelled(String label, Evaluation evaluation) {
    }

    private ReportCharts() {
    }

    static List<Path> writeAll(final Path dir, final List<Labelled> evaluations) throws IOException {
        final List<Path> out = new ArrayList<>();
        out.add(save(roc(evaluations), dir.resolve(ROC)));
        out.add(save(pr(evaluations), dir.resolve(PR)));
        out.add(save(reliability(evaluations), dir.resolve(RELIABILITY)));
        out.add(save(sweep(evaluations.get(0)), dir.resolve(SWEEP)));
        return List.copyOf(out);
    }

    private static XYChart chart(final String title, final String x, final String y) {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setAntiAlias(true);
        return chart;
    }

    private static XYChart roc(final List<Labelled> evaluations) {
        final XYChart chart = chart("ROC", "False positive rate", "True positive rate");
        diagonal(chart, "chance");
        for (final Labelled l : evaluations) {
            curve(chart, l.label() + " (AUC " + EvaluationReport.fmt(l.evaluation().value(Metric.ROC_AUC)) + ")",
                    l.evaluation().roc());
        }
        return chart;
    }

    private static XYChart pr(final List<Labelled> evaluations) {
        final XYChart chart = chart("Precision-recall", "Recall", "Precision");
        for (final Labelled l : evaluations) {
            curve(chart, l.label() + " (AP " + EvaluationReport.fmt(l.evaluation().value(Metric.PR_AUC)) + ")",
                    l.evaluation().pr());
        }
        return chart;
    }

    private static XYChart reliability(final List<Labelled> evaluations) {
        final XYChart chart = chart("Reliability", "Mean predicted probability", "Observed positive rate");
        diagonal(chart, "perfectly calibrated");
        for (final Labelled l : evaluations) {
            final List<CurvePoint> points = new ArrayList<>();
            for (final ReliabilityBin b : l.evaluation().reliability()) {
                if (b.count() > 0) {
                    points.add(new CurvePoint(b.meanScore(), b.observedRate(), b.lower()));
                }
            }
            final XYSeries series = add(chart, l.label() + " (ECE "
                    + EvaluationReport.fmt(l.evaluation().value(Metric.ECE)) + ")", points);
            if (series != null) {
                series.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return chart;
    }

    private static XYChart sweep(final Labelled candidate) {
        final XYChart chart = chart("Threshold sweep: " + candidate.label(), "Threshold", "Rate");
        final List<ThresholdRow> rows = candidate.evaluation().sweep();
        sweepSeries(chart, "precision", rows, ThresholdRow::precision);
        sweepSeries(chart, "recall", rows, ThresholdRow::recall);
        sweepSeries(chart, "false positive rate", rows, ThresholdRow::falsePositiveRate);
        sweepSeries(chart, "flagged rate", rows, ThresholdRow::flaggedRate);
        return chart;
    }

    private static void sweepSeries(final XYChart chart, final String name, final List<ThresholdRow> rows,
                                    final ToDoubleFunction<ThresholdRow> value) {
        final List<CurvePoint> points = new ArrayList<>();
        for (final ThresholdRow r : rows) {
            points.add(new CurvePoint(r.threshold(), value.applyAsDouble(r), r.threshold()));
        }
        final XYSeries series = add(chart, name, points);
        if (series != null) {
            series.setMarker(SeriesMarkers.CIRCLE);
        }
    }

    private static void diagonal(final XYChart chart, final String name) {
        final XYSeries series = chart.addSeries(name, new double[] {0, 1}, new double[] {0, 1});
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(java.awt.Color.GRAY);
    }

    private static void curve(final XYChart chart, final String name, final List<CurvePoint> points) {
        final XYSeries series = add(chart, name, thin(points));
        if (series != null) {
            series.setMarker(SeriesMarkers.NONE);
        }
    }

    /** Keeps at most MAX_POINTS evenly spaced points (always the last) so huge sets draw quickly. */
    private static List<CurvePoint> thin(final List<CurvePoint> points) {
        if (points.size() <= MAX_POINTS) {
            return points;
        }
        final List<CurvePoint> out = new ArrayList<>(MAX_POINTS + 1);
        final double step = points.size() / (double) MAX_POINTS;
        for (int k = 0; k < MAX_POINTS; k++) {
            out.add(points.get((int) (k * step)));
        }
        out.add(points.get(points.size() - 1));
        return out;
    }

    /** Adds the finite points as a series; returns null (and draws nothing) when none is finite. */
    private static XYSeries add(final XYChart chart, final String name, final List<CurvePoint> points) {
        final List<CurvePoint> finite = points.stream()
                .filter(p -> Double.isFinite(p.x()) && Double.isFinite(p.y())).toList();
        if (finite.isEmpty()) {
            return null;
        }
        final double[] x = finite.stream().mapToDouble(CurvePoint::x).toArray();
        final double[] y = finite.stream().mapToDouble(CurvePoint::y).toArray();
        return chart.addSeries(name, x, y);
    }

    private static Path save(final XYChart chart, final Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return file;
    }
}
