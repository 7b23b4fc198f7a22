package io.driftguard.operations;

import io.driftguard.embedded.KafkaStackInfo;
import java.nio.file.Path;

/**
 * One driftguard app for the metrics-contract test: started on the shared embedded stack, fed enough events that its
 * lazily registered meters exist, and scraped.
 */
interface ScrapedApp {

  /** The app's section in docs/metrics.md, e.g. {@code feature-stream}. */
  String name();

  /**
   * Starts the app with its HTTP endpoint on an ephemeral loopback port, pushes events through it and returns once
   * the outputs those events cause are committed (so every meter they touch is registered).
   */
  Running start(KafkaStackInfo stack, Path workDir) throws Exception;

  /** A started app: where its /metrics is, and how to stop it. */
  record Running(int metricsPort, AutoCloseable app) {
  }
}
