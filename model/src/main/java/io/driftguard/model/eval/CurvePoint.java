package io.driftguard.model.eval;

/** A point of a ROC (x = FPR, y = TPR) or precision-recall (x = recall, y = precision) curve. */
public record CurvePoint(double x, double y, double threshold) {
}
