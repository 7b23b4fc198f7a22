package io.driftguard.model.pipeline;

import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.dataset.TrainingSet;
import io.driftguard.model.eval.Evaluation;
import io.driftguard.model.eval.EvaluationReport;
import io.driftguard.model.gates.GateResult;
import io.driftguard.model.registry.Aliases;
import io.driftguard.model.train.TrainingResult;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a training run produced.
 *
 * @param trainingSet the point-in-time training set (with its snapshot id and stats)
 * @param training the Trainer's result (bundle written to {@code outputDir/bundle})
 * @param bundle the registered copy when a registry was given, else the written bundle
 * @param candidate the candidate's evaluation on the time-split test set (scored through ModelRunner/DJL)
 * @param baseline the baseline's evaluation on the same rows
 * @param champion the current champion's evaluation on the same rows, or null (no registry, no champion, or a
 *     champion with other inputs; see {@code championNote})
 * @param championNote why there is no champion comparison, or null
 * @param latency the latency probe's metrics ({@code p50_latency_ms}, {@code p99_latency_ms}, ...)
 * @param report the report files
 * @param gates the gate verdicts (against the champion when there is one)
 * @param promoted whether the candidate became champion
 * @param aliases the registry aliases after the run, or null without a registry
 * @param summaryJson machine-readable summary of the run
 */
public record PipelineResult(TrainingSet trainingSet, TrainingResult training, ArtifactBundle bundle,
    Evaluation candidate, Evaluation baseline, Evaluation champion, String championNote, Map<String, Double> latency,
    EvaluationReport.ReportFiles report, GateResult gates, boolean promoted, Aliases aliases, Path summaryJson) {

  public PipelineResult {
    latency = Map.copyOf(latency);
  }
}
