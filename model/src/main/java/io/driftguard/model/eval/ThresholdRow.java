package io.driftguard.model.eval;

/** One row of a threshold sweep: counts and rates when flagging scores {@code >=} threshold. */
public record ThresholdRow(double threshold, ConfusionMatrix confusion) {
    public double precision() {
        return confusion.precision();
    }

    public double recall() {
        return confusion.recall();
    }

    public double falsePositiveRate() {
        return confusion.falsePositiveRate();
    }

    public double flaggedRate() {
        return confusion.flaggedRate();
    }
}
