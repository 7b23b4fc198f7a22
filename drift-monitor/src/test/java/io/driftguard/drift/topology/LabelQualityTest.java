package io.driftguard.drift.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.Decision;
import io.driftguard.avro.Label;
import io.driftguard.avro.Prediction;
import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.drift.metrics.DriftMetrics;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label arrival and delayed quality through the topology. Predictions: 100 an hour for 72 hours; each label arrives
 * after a delay drawn uniformly from [0, 24h) and is Bernoulli(score), so the scores are calibrated. Cohorts are 6h
 * windows; the label horizon is 2 days; the expected curve (12h: 0.5, 1d: 1.0) is the uniform delay's CDF.
 */
class LabelQualityTest {

    private static final Duration WINDOW = Duration.ofHours(6);
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final Tags VERSION = Tags.of("model_name", DriftFixture.MODEL, "model_version",
            DriftFixture.VERSION, "arm", "CHAMPION", "feature", "labels");

    @TempDir
    Path dir;

    private DriftMonitorConfig config() {
        return new DriftMonitorConfig(WINDOW, null, Duration.ofMinutes(1), null, null, null, null, null, 3, 3, null,
                null, null, Duration.ofDays(2), Map.of("12h", 0.5, "1d", 1.0), 0.5, 20L, dir.resolve("registry"),
                null, null);
    }

    /** A timestamped input record. */
    private record Input(long timeMs, Prediction prediction, Label label) {
    }

    /** Predictions of 72 hours and their labels (none whose label time is at or after {@code labelsStopAt}). */
    private static List<Input> world(final List<Prediction> predictions, final List<Label> labels,
            final Instant labelsStopAt) {
        final SplittableRandom random = new SplittableRandom(42);
        final List<Input> inputs = new ArrayList<>();
        for (int h = 0; h < 72; h++) {
            for (int i = 0; i < 100; i++) {
                final Instant t = DriftFixture.T0.plusMillis(h * HOUR + i * (HOUR / 100));
                final Prediction p = DriftFixture.prediction("q-" + h + "-" + i, t, random,
                        DriftFixture.Draw.STATIONARY);
                predictions.add(p);
                inputs.add(new Input(t.toEpochMilli(), p, null));
                final Instant labelTime = t.plusMillis((long) (random.nextDouble() * 24 * HOUR));
                final Label l = DriftFixture.label(p, random.nextDouble() < p.getScore() ? 1 : 0, labelTime);
                if (labelTime.isBefore(labelsStopAt)) {
                    labels.add(l);
                    inputs.add(new Input(labelTime.toEpochMilli(), null, l));
                }
            }
        }
        inputs.sort(Comparator.comparingLong(Input::timeMs));
        return inputs;
    }

    private static void pipeAll(final DriftFixture f, final List<Input> inputs) {
        for (final Input in : inputs) {
            if (in.prediction() != null) {
                f.pipe(in.prediction());
            } else {
                f.pipe(in.label());
            }
        }
        // advance stream time to 96h: every cohort ending at or before 48h is final
        f.pipe(DriftFixture.prediction("q-tick", DriftFixture.T0.plusMillis(96 * HOUR), new SplittableRandom(1),
                DriftFixture.Draw.STATIONARY));
    }

    private static double gauge(final DriftFixture f, final String statistic) {
        return f.metrics.gaugeValue(DriftMetrics.QUALITY, VERSION.and("statistic", statistic));
    }

    @Test
    void shouldMatchTheDelayDistributionAndTheOfflineMetricsWhenAllLabelsArrive() throws Exception {
        // Given
        final List<Prediction> predictions = new ArrayList<>();
        final List<Label> labels = new ArrayList<>();
        final List<Input> inputs = world(predictions, labels, Instant.MAX);
        try (DriftFixture f = new DriftFixture(dir, config(), DriftFixture.NO_RULES)) {
            // When
            pipeAll(f, inputs);

            // Then: the last final cohort is [42h, 48h): 600 predictions, all labelled
            final long from = DriftFixture.T0.toEpochMilli() + 42 * HOUR;
            final long to = from + 6 * HOUR;
            final List<Prediction> cohort = predictions.stream()
                    .filter(p -> p.getEventTime().toEpochMilli() >= from && p.getEventTime().toEpochMilli() < to)
                    .toList();
            assertThat(cohort).hasSize(600);
            assertThat(gauge(f, "coverage")).isEqualTo(1.0);
            assertThat(gauge(f, "missing_labels")).isZero();
            assertThat(gauge(f, "labelled")).isEqualTo(600);
            // uniform [0, 24h) delays: p50 = 12h, p95 = 22.8h; 3 standard errors of 600-sample quantiles
            assertThat(gauge(f, "delay_p50_seconds") / 3600).isCloseTo(12.0, within(1.5));
            assertThat(gauge(f, "delay_p95_seconds") / 3600).isCloseTo(22.8, within(0.7));

            final Offline offline = Offline.of(cohort, labels);
            assertThat(gauge(f, "precision")).isCloseTo(offline.precision, within(1e-12));
            assertThat(gauge(f, "recall")).isCloseTo(offline.recall, within(1e-12));
            assertThat(gauge(f, "log_loss")).isCloseTo(offline.logLoss, within(1e-9));
            assertThat(gauge(f, "calibration_error")).isCloseTo(offline.calibrationError, within(1e-9));
            // the topology bins scores to 1/1000 for ROC-AUC; pairs that share a bin are the only difference
            assertThat(gauge(f, "roc_auc")).isCloseTo(offline.rocAuc, within(2e-3));

            // labels keep pace with the expected curve: no stall, ratio near 1; CBPE estimate near the truth
            assertThat(gauge(f, "coverage_vs_expected")).isBetween(0.9, 1.3);
            final Offline all = Offline.of(predictions, labels);
            assertThat(gauge(f, "precision_expected")).isCloseTo(all.precision, within(0.05));
            assertThat(gauge(f, "recall_expected")).isCloseTo(all.recall, within(0.05));
            final List<Alert> alerts = f.alerts.readValuesToList();
            assertThat(alerts).noneMatch(a -> a.getStatistic().equals(CohortMonitor.STALLED));
            assertThat(f.commands.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldFireLabelArrivalStalledWhenLabelsStop() throws Exception {
        // Given: no label arrives from hour 40 on, while predictions go on until hour 72
        final Instant stop = DriftFixture.T0.plusMillis(40 * HOUR);
        final List<Input> inputs = world(new ArrayList<>(), new ArrayList<>(), stop);
        try (DriftFixture f = new DriftFixture(dir, config(), DriftFixture.NO_RULES)) {
            // When
            pipeAll(f, inputs);

            // Then
            final List<Alert> stalled = f.alerts.readValuesToList().stream()
                    .filter(a -> a.getStatistic().equals(CohortMonitor.STALLED)).toList();
            assertThat(stalled).isNotEmpty();
            final Alert first = stalled.get(0);
            assertThat(first.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(first.getMonitor()).isEqualTo("label-arrival");
            assertThat(first.getWindowEnd()).isAfter(stop).isBefore(stop.plusMillis(24 * HOUR));
            assertThat(first.getValue()).isLessThan(0.5);
            assertThat(f.commands.isEmpty()).isTrue();
        }
    }

    /** Direct offline computation on the raw predictions and labels. */
    private record Offline(double precision, double recall, double logLoss, double calibrationError,
            double rocAuc) {

        static Offline of(final List<Prediction> predictions, final List<Label> labels) {
            final Map<String, Integer> byEvent = new java.util.HashMap<>();
            labels.forEach(l -> byEvent.put(l.getEventId(), l.getLabel()));
            long tp = 0;
            long fp = 0;
            long fn = 0;
            double logLoss = 0;
            final List<double[]> scored = new ArrayList<>();
            for (final Prediction p : predictions) {
                final Integer y = byEvent.get(p.getEventId());
                if (y == null) {
                    continue;
                }
                final double s = p.getScore();
                final boolean positive = p.getDecision() == Decision.POSITIVE;
                tp += positive && y == 1 ? 1 : 0;
                fp += positive && y == 0 ? 1 : 0;
                fn += !positive && y == 1 ? 1 : 0;
                logLoss += -(y == 1 ? Math.log(s) : Math.log(1 - s));
                scored.add(new double[] {s, y});
            }
            final int n = scored.size();
            final double[] binCount = new double[10];
            final double[] binScore = new double[10];
            final double[] binLabel = new double[10];
            for (final double[] r : scored) {
                final int b = Math.min(9, (int) (r[0] * 10));
                binCount[b]++;
                binScore[b] += r[0];
                binLabel[b] += r[1];
            }
            double ece = 0;
            for (int b = 0; b < 10; b++) {
                if (binCount[b] > 0) {
                    ece += binCount[b] / n * Math.abs(binScore[b] / binCount[b] - binLabel[b] / binCount[b]);
                }
            }
            double wins = 0;
            long pairs = 0;
            for (final double[] pos : scored) {
                if (pos[1] != 1) {
                    continue;
                }
                for (final double[] neg : scored) {
                    if (neg[1] != 0) {
                        continue;
                    }
                    pairs++;
                    wins += pos[0] > neg[0] ? 1 : pos[0] == neg[0] ? 0.5 : 0;
                }
            }
            return new Offline((double) tp / (tp + fp), (double) tp / (tp + fn), logLoss / n, ece, wins / pairs);
        }
    }
}
