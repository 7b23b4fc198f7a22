package io.driftguard.model.train;

import io.driftguard.model.bundle.ArtifactBundle;
import java.util.Map;

/**
 * What a training run produced.
 *
 * @param bundle the written, verified bundle
 * @param metrics the candidate's metrics (also in the manifest)
 * @param sliceMetrics metrics per slice, keyed column=value
 */
public record TrainingResult(ArtifactBundle bundle, Map<String, Double> metrics,
    Map<String, Map<String, Double>> sliceMetrics) {
}
