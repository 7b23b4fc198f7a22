package io.driftguard.drift.topology;

import io.driftguard.avro.Decision;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.kafka.common.serialization.Serde;

/**
 * The label state of one cohort: the predictions of one (model, version, arm) whose event time falls in one window.
 * Fixed size: counts, a 10-bin calibration table, a 1000-bin score histogram per label class (ROC-AUC), and a KLL
 * sketch of arrival delays.
 *
 * <p>Realized metrics use scored predictions with labels; CBPE-style expected precision / recall add, for scored
 * predictions still waiting for a label, the calibrated score as the probability of a positive label.
 */
final class Cohort {

    static final int CALIBRATION_BINS = 10;
    static final int AUC_BINS = 1000;
    static final int DELAY_K = 200;
    private static final double LOG_LOSS_CLIP = 1e-15;

    long predictions;
    long abstained;
    long labelled;
    /** {@link #labelled} at the previous stall check, so each check sees the labels of its own interval. */
    long labelledAtLastCheck;
    long positives;
    long tp;
    long fp;
    long fn;
    long tn;
    /** Labelled and scored (the realized metrics' sample). */
    long scoredLabelled;
    double logLossSum;
    final long[] calCount = new long[CALIBRATION_BINS];
    final double[] calScore = new double[CALIBRATION_BINS];
    final long[] calLabel = new long[CALIBRATION_BINS];
    final int[] aucPositive = new int[AUC_BINS];
    final int[] aucNegative = new int[AUC_BINS];
    KllDoublesSketch delays = KllDoublesSketch.newHeapInstance(DELAY_K);
    /** CBPE sums over every scored prediction, and over the labelled ones. */
    double scoreSumPositiveDecision;
    long positiveDecisions;
    double scoreSumNegativeDecision;
    double labelledScoreSumPositiveDecision;
    long labelledPositiveDecisions;
    double labelledScoreSumNegativeDecision;

    void onPredicted(final QualityEvent e) {
        predictions++;
        if (Double.isNaN(e.score())) {
            abstained++;
            return;
        }
        if (e.decision() == Decision.POSITIVE) {
            scoreSumPositiveDecision += e.score();
            positiveDecisions++;
        } else if (e.decision() == Decision.NEGATIVE) {
            scoreSumNegativeDecision += e.score();
        }
    }

    void onLabeled(final QualityEvent e) {
        labelled++;
        delays.update(Math.max(0L, e.delayMs()));
        final boolean positive = e.label() == 1;
        if (positive) {
            positives++;
        }
        if (Double.isNaN(e.score()) || e.decision() == Decision.ABSTAIN) {
            return;
        }
        scoredLabelled++;
        final double s = e.score();
        if (e.decision() == Decision.POSITIVE) {
            labelledScoreSumPositiveDecision += s;
            labelledPositiveDecisions++;
            if (positive) {
                tp++;
            } else {
                fp++;
            }
        } else {
            labelledScoreSumNegativeDecision += s;
            if (positive) {
                fn++;
            } else {
                tn++;
            }
        }
        final double clipped = Math.min(1 - LOG_LOSS_CLIP, Math.max(LOG_LOSS_CLIP, s));
        logLossSum -= positive ? Math.log(clipped) : Math.log(1 - clipped);
        final int cal = Math.min(CALIBRATION_BINS - 1, Math.max(0, (int) Math.floor(s * CALIBRATION_BINS)));
        calCount[cal]++;
        calScore[cal] += s;
        calLabel[cal] += positive ? 1 : 0;
        final int bin = aucBin(s);
        if (positive) {
            aucPositive[bin]++;
        } else {
            aucNegative[bin]++;
        }
    }

    static int aucBin(final double score) {
        return Math.min(AUC_BINS - 1, Math.max(0, (int) Math.floor(score * AUC_BINS)));
    }

    double coverage() {
        return predictions == 0 ? Double.NaN : (double) labelled / predictions;
    }

    double delayQuantileMs(final double rank) {
        return delays.isEmpty() ? Double.NaN : delays.getQuantile(rank);
    }

    double precision() {
        return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
    }

    double recall() {
        return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
    }

    double logLoss() {
        return scoredLabelled == 0 ? Double.NaN : logLossSum / scoredLabelled;
    }

    /** Expected calibration error over 10 equal-width score bins, weighted by bin count. */
    double calibrationError() {
        if (scoredLabelled == 0) {
            return Double.NaN;
        }
        double ece = 0.0;
        for (int b = 0; b < CALIBRATION_BINS; b++) {
            if (calCount[b] > 0) {
                ece += Math.abs(calScore[b] / calCount[b] - (double) calLabel[b] / calCount[b]) * calCount[b];
            }
        }
        return ece / scoredLabelled;
    }

    /** ROC-AUC over scores binned to 1/1000 (pairs within one bin count one half). */
    double rocAuc() {
        long p = 0;
        long n = 0;
        for (int b = 0; b < AUC_BINS; b++) {
            p += aucPositive[b];
            n += aucNegative[b];
        }
        if (p == 0 || n == 0) {
            return Double.NaN;
        }
        double wins = 0.0;
        long negativesBelow = 0;
        for (int b = 0; b < AUC_BINS; b++) {
            wins += aucPositive[b] * (negativesBelow + 0.5 * aucNegative[b]);
            negativesBelow += aucNegative[b];
        }
        return wins / ((double) p * n);
    }

    /** Expected TP, FP and FN: realized for labelled predictions plus score-weighted for pending ones. */
    private double[] expectedConfusion() {
        final double pendingPosScore = scoreSumPositiveDecision - labelledScoreSumPositiveDecision;
        final long pendingPos = positiveDecisions - labelledPositiveDecisions;
        final double pendingNegScore = scoreSumNegativeDecision - labelledScoreSumNegativeDecision;
        return new double[] {tp + pendingPosScore, fp + (pendingPos - pendingPosScore), fn + pendingNegScore};
    }

    double expectedPrecision() {
        final double[] c = expectedConfusion();
        return c[0] + c[1] <= 0 ? Double.NaN : c[0] / (c[0] + c[1]);
    }

    double expectedRecall() {
        final double[] c = expectedConfusion();
        return c[0] + c[2] <= 0 ? Double.NaN : c[0] / (c[0] + c[2]);
    }

    static Serde<Cohort> serde() {
        return Bytes2.memoizingSerde(c -> Bytes2.encode(c, Cohort::write), b -> Bytes2.decode(b, Cohort::read, "Cohort"),
                "Cohort");
    }

    private static void write(final Cohort c, final DataOutputStream out) throws IOException {
        out.writeByte('K');
        out.writeByte(1);
        for (final long v : new long[] {c.predictions, c.abstained, c.labelled, c.labelledAtLastCheck, c.positives, c.tp, c.fp, c.fn, c.tn,
                c.scoredLabelled, c.positiveDecisions, c.labelledPositiveDecisions}) {
            out.writeLong(v);
        }
        for (final double v : new double[] {c.logLossSum, c.scoreSumPositiveDecision, c.scoreSumNegativeDecision,
                c.labelledScoreSumPositiveDecision, c.labelledScoreSumNegativeDecision}) {
            out.writeDouble(v);
        }
        for (int b = 0; b < CALIBRATION_BINS; b++) {
            out.writeLong(c.calCount[b]);
            out.writeDouble(c.calScore[b]);
            out.writeLong(c.calLabel[b]);
        }
        writeSparse(out, c.aucPositive);
        writeSparse(out, c.aucNegative);
        Bytes2.writeBlob(out, c.delays.toByteArray());
    }

    private static Cohort read(final DataInputStream in) throws IOException {
        if (in.readByte() != 'K' || in.readByte() != 1) {
            throw new IOException("not a version-1 Cohort");
        }
        final Cohort c = new Cohort();
        c.predictions = in.readLong();
        c.abstained = in.readLong();
        c.labelled = in.readLong();
        c.labelledAtLastCheck = in.readLong();
        c.positives = in.readLong();
        c.tp = in.readLong();
        c.fp = in.readLong();
        c.fn = in.readLong();
        c.tn = in.readLong();
        c.scoredLabelled = in.readLong();
        c.positiveDecisions = in.readLong();
        c.labelledPositiveDecisions = in.readLong();
        c.logLossSum = in.readDouble();
        c.scoreSumPositiveDecision = in.readDouble();
        c.scoreSumNegativeDecision = in.readDouble();
        c.labelledScoreSumPositiveDecision = in.readDouble();
        c.labelledScoreSumNegativeDecision = in.readDouble();
        for (int b = 0; b < CALIBRATION_BINS; b++) {
            c.calCount[b] = in.readLong();
            c.calScore[b] = in.readDouble();
            c.calLabel[b] = in.readLong();
        }
        readSparse(in, c.aucPositive);
        readSparse(in, c.aucNegative);
        c.delays = KllDoublesSketch.heapify(Memory.wrap(Bytes2.readBlob(in)));
        return c;
    }

    /** Only the non-zero bins: a cohort of n labels costs at most 8n bytes here, never more than the dense form. */
    private static void writeSparse(final DataOutputStream out, final int[] bins) throws IOException {
        int nonZero = 0;
        for (final int v : bins) {
            nonZero += v == 0 ? 0 : 1;
        }
        out.writeShort(nonZero);
        for (int b = 0; b < bins.length; b++) {
            if (bins[b] != 0) {
                out.writeShort(b);
                out.writeInt(bins[b]);
            }
        }
    }

    private static void readSparse(final DataInputStream in, final int[] bins) throws IOException {
        final int nonZero = in.readShort();
        if (nonZero < 0 || nonZero > bins.length) {
            throw new IOException("bad sparse count " + nonZero);
        }
        for (int i = 0; i < nonZero; i++) {
            final int b = in.readShort();
            if (b < 0 || b >= bins.length) {
                throw new IOException("bad bin " + b);
            }
            bins[b] = in.readInt();
        }
    }
}
