package io.driftguard.operations;

import static org.awaitility.Awaitility.await;

import io.driftguard.avro.ModelAction;
import io.driftguard.embedded.KafkaStackInfo;
import java.nio.file.Path;
import java.time.Duration;

/**
 * scoring-stream and drift-monitor for the metrics-contract test: one {@link LivePipeline} shared by both entries,
 * driven through every path that registers a lazily created meter (backfill with first payments that abstain, a
 * dead letter in each app, a baseline, injected drift that makes drift-monitor alert, and a rollback by hand that the scorer
 * applies), then scraped.
 */
final class PipelineScrapedApps {
  private static final String PREFIX = "ops-contract-pipeline-";
  private static final String TOKEN = "ops-contract-token-0123456789";

  private LivePipeline pipeline;
  private boolean closed;

  /** The scoring-stream entry. */
  ScrapedApp scoring() {
    return new Entry("scoring-stream");
  }

  /** The drift-monitor entry. */
  ScrapedApp drift() {
    return new Entry("drift-monitor");
  }

  private synchronized LivePipeline pipeline(final KafkaStackInfo stack, final Path workDir) throws Exception {
    if (pipeline == null) {
      pipeline = LivePipeline.start(stack, workDir.resolve("pipeline"), PREFIX, TOKEN);
      pipeline.publishGarbageEvent(new byte[] {7, 7});
      pipeline.publishGarbagePrediction(new byte[] {7, 7});
      pipeline.publish(LivePipeline.BASELINE);
      pipeline.publish(LivePipeline.DRIFT);
      if (pipeline.requestRollback(TOKEN, "metrics contract") != 202) {
        throw new IllegalStateException("POST /rollback was not accepted");
      }
      await("ROLLBACK on model-control").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .until(() -> pipeline.commands().stream().anyMatch(c -> c.getAction() == ModelAction.ROLLBACK));
      // The scorer applies a command with the next event it scores.
      pipeline.publish(LivePipeline.NUDGE);
      await("scorer rolled back to v1").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> "v1".equals(pipeline.scoring().rollout().champion()));
    }
    return pipeline;
  }

  private synchronized void close() {
    if (pipeline != null && !closed) {
      closed = true;
      pipeline.close();
    }
  }

  private final class Entry implements ScrapedApp {
    private final String name;

    Entry(final String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Running start(final KafkaStackInfo stack, final Path workDir) throws Exception {
      final LivePipeline running = pipeline(stack, workDir);
      return new Running(name.equals("drift-monitor") ? running.driftPort() : running.scoringPort(),
          PipelineScrapedApps.this::close);
    }
  }
}
