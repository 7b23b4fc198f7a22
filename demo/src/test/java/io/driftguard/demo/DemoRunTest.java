package io.driftguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short drift-and-rollback run end to end: embedded stack, training, both apps, live feed, report. */
class DemoRunTest {

  @TempDir
  Path dir;

  @Test
  void shouldWriteAReportWithExactlyOnceAndGateVerdictsWhenAShortDriftRunCompletes() throws Exception {
    // Given a 40 s drift-and-rollback run at 120 events/s (scenario clock x4320: 48 h of event time)
    final DemoOptions options = DemoOptions.defaults(dir.resolve("report")).withDuration(Duration.ofSeconds(40))
        .withRate(120);
    final ByteArrayOutputStream console = new ByteArrayOutputStream();

    // When it runs to the end
    final DemoResult result = new DemoRunner(options, new PrintStream(console, true, StandardCharsets.UTF_8), false)
        .run();

    // Then summary.json has the figures issue 8 asks for
    final String printed = console.toString(StandardCharsets.UTF_8);
    final JsonNode s = new ObjectMapper().readTree(result.summaryJson().toFile());
    assertThat(result.stoppedEarly()).isFalse();
    assertThat(s.path("scenario").asText()).isEqualTo("drift-and-rollback");
    assertThat(s.path("events").path("live").asLong()).as(printed).isGreaterThan(1000);
    assertThat(s.path("events").path("backfill").asLong()).isGreaterThan(0);
    assertThat(s.path("exactlyOnce").path("passed").asBoolean()).as(s.path("exactlyOnce").toString()).isTrue();
    assertThat(s.path("exactlyOnce").path("validEvents").asLong())
        .isEqualTo(s.path("events").path("total").asLong() - s.path("deadLetters").path("events").asLong());
    assertThat(s.path("gateVerdictsRecorded").asBoolean()).isTrue();
    final JsonNode v1 = s.path("training").get(0);
    assertThat(v1.path("gates").size()).isGreaterThanOrEqualTo(4);
    assertThat(v1.path("advisoryGates").get(0).path("gate").asText()).isEqualTo("p99_latency_ms max 10.0");
    assertThat(printed).contains("Gate verdicts for fraud " + v1.path("version").asText())
        .contains("ADVISORY");
    // the seeded history gives v1 the same quality every run: it passes its quality gates and serves as champion
    assertThat(v1.path("promoted").asBoolean()).as(v1.toString()).isTrue();
    assertThat(s.path("predictionsPerVersion").path(v1.path("version").asText() + "/CHAMPION").asLong())
        .isPositive();
    // the candidate was rolled out as shadow then canary, and the scorer served it
    final List<String> actions = new ArrayList<>();
    s.path("modelControl").forEach(c -> actions.add(c.path("action").asText()));
    final String candidate = s.path("training").get(1).path("version").asText();
    assertThat(actions).containsSubsequence("SET_SHADOW", "SET_CANARY");
    assertThat(s.path("predictionsPerVersion").has(candidate + "/SHADOW")).as(s.toString()).isTrue();
    assertThat(s.path("predictionsPerVersion").has(candidate + "/CANARY")).as(s.toString()).isTrue();
    // drift is injected inside the run; drift-monitor alerts and its rollback policy takes the canary back
    final JsonNode drift = s.path("drift").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) drift).remove("alerts");
    final double onset = drift.path("onsetWallSeconds").asDouble();
    assertThat(onset).isBetween(1.0, 40.0);
    assertThat(drift.path("alertsFiring").asLong()).as(drift.toString()).isPositive();
    // detected after the onset and not before: no drift alert fires on the stationary phase
    assertThat(drift.path("alertsBeforeOnset").asLong()).as(drift.toString()).isZero();
    assertThat(drift.path("detectedAfterOnset").asBoolean()).as(drift.toString()).isTrue();
    assertThat(drift.path("detectionWallSeconds").asDouble()).isGreaterThanOrEqualTo(onset);
    assertThat(s.path("rollback").path("afterOnset").asBoolean()).as(s.path("rollback").toString()).isTrue();
    // the first day of history only warms the feature windows: its labels are withheld from training
    assertThat(s.path("featureWarmup").path("labelsWithheld").asLong()).isPositive();
    assertThat(s.path("rollback").path("happened").asBoolean()).as(s.path("rollback").toString()).isTrue();
    assertThat(s.path("rollback").path("issuedBy").asText()).isEqualTo("rollback-policy");
    assertThat(actions).containsSubsequence("SET_CANARY", s.path("rollback").path("action").asText());
    assertThat(s.path("latencyPercentiles").path("eventToPredictionMs").path("p99").isNumber()).isTrue();
    // and the HTML report links every chart it wrote
    final String html = Files.readString(result.indexHtml());
    for (final String png : List.of("throughput.png", "latency.png", "versions.png", "null-rates.png",
        "label-coverage.png", "quality.png")) {
      assertThat(result.indexHtml().resolveSibling(png)).isNotEmptyFile();
      assertThat(html).contains("src=\"" + png + "\"");
    }
  }
}
