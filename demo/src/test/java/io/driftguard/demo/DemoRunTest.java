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
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short drift-and-rollback run end to end (embedded stack, training, the three apps, live feed, report), run once
 * for the class: one test checks summary.json and the report files, one opens the report in headless Chromium.
 */
class DemoRunTest {

  @TempDir
  static Path dir;
  private static DemoResult result;
  private static String printed;

  @BeforeAll
  static void runShortDemo() throws Exception {
    // Given a 40 s drift-and-rollback run at 120 events/s (scenario clock x4320: 48 h of event time)
    final DemoOptions options = DemoOptions.defaults(dir.resolve("report")).withDuration(Duration.ofSeconds(40))
        .withRate(120);
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    // When it runs to the end
    result = new DemoRunner(options, new PrintStream(console, true, StandardCharsets.UTF_8), false).run();
    printed = console.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldWriteAReportWithExactlyOnceAndGateVerdictsWhenAShortDriftRunCompletes() throws Exception {
    // Then summary.json has the figures issue 8 asks for
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
    assertThat(drift.path("championDetectionWallSeconds").asDouble()).isGreaterThanOrEqualTo(onset);
    // canary-arm alerts on pre-onset windows are counted apart (entity-sticky subset vs population reference)
    assertThat(drift.path("canaryAlertsBeforeOnset").isNumber()).as(drift.toString()).isTrue();
    // the first day of history only warms the feature windows: its labels are withheld from training
    assertThat(s.path("featureWarmup").path("labelsWithheld").asLong()).isPositive();
    assertThat(s.path("rollback").path("happened").asBoolean()).as(s.path("rollback").toString()).isTrue();
    assertThat(s.path("rollback").path("issuedBy").asText()).isEqualTo("rollback-policy");
    assertThat(actions).containsSubsequence("SET_CANARY", s.path("rollback").path("action").asText());
    assertThat(s.path("latencyPercentiles").path("eventToPredictionMs").path("p99").isNumber()).isTrue();
    // and the HTML report links every chart it wrote
    final String html = Files.readString(result.indexHtml());
    final List<String> pngs = new ArrayList<>(List.of("throughput.png", "latency.png", "versions.png",
        "null-rates.png", "label-coverage.png", "quality.png"));
    // one drift chart per monitored feature, scraped from drift-monitor: the drifted amount features among them
    for (final String feature : List.of("amount", "amount_max_24h", "txn_count_24h", "score")) {
      pngs.add("drift-" + feature + ".png");
    }
    for (final String png : pngs) {
      assertThat(result.indexHtml().resolveSibling(png)).isNotEmptyFile();
      assertThat(html).contains("src=\"" + png + "\"");
    }
    assertThat(s.path("drift").path("windowsScraped").asLong()).isGreaterThan(20);
    assertThat(s.path("drift").path("psiThresholds").path("amount").asDouble()).isPositive();
    // the ledger has false positives/negatives by slice, before and after the onset
    final List<String> slices = new ArrayList<>();
    s.path("errorsBySlice").forEach(r -> slices.add(r.path("period").asText() + " " + r.path("slice").asText()));
    assertThat(slices).contains("before onset channel=ONLINE", "before onset channel=POS");
    assertThat(html).contains("False positives and negatives by slice").contains("before onset");
  }

  @Test
  void shouldRenderTheReportWithEveryImageLoadedAndNoConsoleErrorWhenOpenedInHeadlessChromium() throws Exception {
    HeadlessChromiumTest.requireChromiumUnlessAbsentOutsideCi();
    // Given the short run's report
    final Path html = result.indexHtml();
    final HeadlessChromium chromium = new HeadlessChromium(dir.resolve("chromium"));

    // When chromium renders it and loads a probed copy
    final Path png = dir.resolve("report-screenshot.png");
    chromium.screenshot(html, png, 1100, 2400);
    final HeadlessChromium.PageCheck check = chromium.check(html);

    // Then the page renders, every image in it loaded, and nothing went wrong on the page
    final BufferedImage shot = ImageIO.read(png.toFile());
    assertThat(shot.getWidth()).isEqualTo(1100);
    assertThat(distinctColours(shot)).as("a blank screenshot").isGreaterThan(50);
    final long imgTags = Pattern.compile("<img ").matcher(Files.readString(html)).results().count();
    assertThat(check.images()).hasSize((int) imgTags).hasSizeGreaterThanOrEqualTo(10);
    assertThat(check.images()).allSatisfy(i -> assertThat(i.naturalWidth()).as(i.src()).isPositive());
    assertThat(check.pageErrors()).isEmpty();
    assertThat(check.consoleLines()).isEmpty();
  }

  /** Distinct colours in an image, a cheap "something was drawn" check. */
  static int distinctColours(final BufferedImage image) {
    final Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
