package io.driftguard.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

  @Test
  void shouldUseTheDesignBaselineShapeWhenNoOptionsAreGiven() {
    // When
    final LoadOptions options = LoadOptions.parse(new String[0]);

    // Then
    assertThat(options.bootstrapServers()).isNull();
    assertThat(options.records()).isEqualTo(1_000_000);
    assertThat(options.valueBytes()).isEqualTo(200);
    assertThat(options.keys()).isEqualTo(10_000);
    assertThat(options.partitions()).isEqualTo(4);
    assertThat(options.warmupRuns()).isEqualTo(2);
    assertThat(options.stages()).containsExactly("plain", "streams-eos");
  }

  @Test
  void shouldParseEveryOptionWhenGiven() {
    // When
    final LoadOptions options = LoadOptions.parse(new String[] {"--bootstrap-servers", "localhost:9999",
        "--records", "200_000", "--warmup-runs", "0", "--value-bytes", "100", "--keys", "50", "--partitions", "2",
        "--repeats", "5", "--stages", "streams-eos, plain", "--timeout-seconds", "30"});

    // Then
    assertThat(options).isEqualTo(new LoadOptions("localhost:9999", 200_000, 0, 100, 50, 2, 5,
        List.of("streams-eos", "plain"), 30));
  }

  @Test
  void shouldNameTheOptionWhenAValueIsBad() {
    // Then
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--records", "many"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--records").hasMessageContaining("many");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--partitions", "0"}))
        .hasMessageContaining("--partitions: must be > 0");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--records"}))
        .hasMessageContaining("--records: missing value");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--recrods", "5"}))
        .hasMessageContaining("unknown option '--recrods'");
  }

  @Test
  void shouldAskForTransactionsWhenTheFeatureStageRunsOnBytes() {
    // Then
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--stages", "plain,features"}))
        .hasMessageContaining("'features' needs --input transactions");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--input", "json"}))
        .hasMessageContaining("--input: expected 'bytes' or 'transactions', got 'json'");
  }

  @Test
  void shouldListKnownStagesWhenAStageIsUnknownOrRepeated() {
    // Then
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--stages", "plain,drift"}))
        .hasMessageContaining("unknown stage 'drift'")
        .hasMessageContaining("[plain, plain-async, streams-eos, features, scoring, scoring-nobatch]");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--stages", "plain,plain"}))
        .hasMessageContaining("named twice");
  }
}
