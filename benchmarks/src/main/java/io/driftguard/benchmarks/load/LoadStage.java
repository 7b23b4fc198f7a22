package io.driftguard.benchmarks.load;

/**
 * One pipeline the load harness measures: it reads {@link StageContext#inputTopic()} and writes to its output topic,
 * which the harness reads back (read_committed) and counts. Implementations are started once per measured run, on a
 * fresh output topic, group and application id, and must release every thread and client in {@link #stop()}.
 *
 * <p>To add a pipeline (feature topology, scoring topology, ...), implement this interface and register a factory in
 * {@link Stages}; see benchmarks/README.md.
 */
public interface LoadStage {

  /** Short kebab-case name, used on the command line ({@code --stages}) and in the results table. */
  String name();

  /** Starts consuming; must return promptly (work happens on the stage's own threads). */
  void start(StageContext context);

  /** The topic whose records the harness counts; by default the one the harness created for this run. */
  default String outputTopic(final StageContext context) {
    return context.outputTopic();
  }

  /** How many output records {@code inputRecords} input records should produce (1:1 for a passthrough). */
  default long expectedOutputs(final long inputRecords) {
    return inputRecords;
  }

  /**
   * Throws if the stage has failed (a dead thread, a Streams client in ERROR), naming the cause; the harness calls it
   * while it waits for output, so a broken stage fails the run at once instead of at the timeout.
   */
  void checkHealthy();

  /** Stops and closes everything {@link #start} opened, then rethrows any failure. Called once, also after a failed run. */
  void stop();
}
