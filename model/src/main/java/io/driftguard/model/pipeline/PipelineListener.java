package io.driftguard.model.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Progress of a training run, step by step; long steps report when they start and when they finish. */
@FunctionalInterface
public interface PipelineListener {

  /** The steps of a run, in order. */
  enum Step { LOAD, TRAINING_SET, TRAIN, EVALUATE, REPORT, REGISTER, GATES, PROMOTE, DONE }

  void onProgress(Step step, String message);

  /** Logs every step at INFO through slf4j. */
  static PipelineListener logging() {
    final Logger log = LoggerFactory.getLogger(TrainingPipeline.class);
    return (step, message) -> log.info("[{}] {}", step, message);
  }
}
