package io.driftguard.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The harness's plumbing (produce, run each stage, count by reading), on a tiny input; it measures nothing. */
@ExtendWith(KafkaStackExtension.class)
class LoadHarnessTest {
  @TempDir
  Path workDir;

  @Test
  void shouldReadBackEveryRecordExactlyOnceWhenEachStageCopiesTheInput(final KafkaStackInfo stack) throws Exception {
    // Given a small input and every built-in stage, the baseline first
    final LoadOptions options = new LoadOptions(stack.bootstrapServers(), 2_000, 0, 50, 20, 2, 1,
        List.of("plain", "plain-async", "streams-eos"), 120);
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    // When
    final Map<String, List<LoadHarness.RunResult>> results;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      results = LoadHarness.run(options, stack.bootstrapServers(), false, out, workDir);
    }

    // Then each stage's output was read in full, with no duplicates, and the table names the baseline
    assertThat(results).containsOnlyKeys("plain", "plain-async", "streams-eos");
    results.values().forEach(runs -> {
      assertThat(runs).hasSize(1);
      assertThat(runs.get(0).count().records()).isEqualTo(2_000);
      assertThat(runs.get(0).count().extra()).isZero();
      assertThat(runs.get(0).count().totalPerSecond()).isPositive();
    });
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("ratio to 'plain'")
        .contains("| plain |")
        .contains("| streams-eos |");
  }
}
