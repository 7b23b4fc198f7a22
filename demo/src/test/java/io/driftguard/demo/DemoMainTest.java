package io.driftguard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoMainTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(final String... args) {
    return DemoMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldExitTwoNamingTheScenarioWhenItIsUnknown() {
    // Given / When
    final int code = run("--scenario", "meltdown", "--report-dir", dir.toString());

    // Then
    assertThat(code).isEqualTo(DemoMain.EXIT_USAGE);
    assertThat(stderr()).contains("--scenario: unknown scenario 'meltdown'")
        .contains("drift-and-rollback, steady, null-spike, label-outage");
  }

  @Test
  void shouldExitTwoNamingTheRateWhenItIsNegative() {
    // Given / When
    final int code = run("--rate=-5", "--report-dir", dir.toString());

    // Then
    assertThat(code).isEqualTo(DemoMain.EXIT_USAGE);
    assertThat(stderr()).contains("--rate: must be a positive number of events per second, was -5.0");
  }

  @Test
  void shouldExitTwoWhenAFlagIsUnknownOrHasNoValue() {
    // Given / When / Then
    assertThat(run("--colour", "red")).isEqualTo(DemoMain.EXIT_USAGE);
    assertThat(stderr()).contains("unknown option '--colour'");
    assertThat(run("--duration")).isEqualTo(DemoMain.EXIT_USAGE);
    assertThat(stderr()).contains("--duration: missing value");
  }

  @Test
  void shouldExitTwoNamingThePortWhenTheScoringPortIsInUse() throws Exception {
    // Given a port some other process holds
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(0));
      final int port = busy.getLocalPort();

      // When the demo is asked to serve scoring there
      final int code = run("--scoring-port", String.valueOf(port), "--report-dir", dir.toString());

      // Then it refuses before starting anything, naming the flag and the port
      assertThat(code).isEqualTo(DemoMain.EXIT_USAGE);
      assertThat(stderr()).contains("--scoring-port: port " + port + " is already in use");
    }
  }

  @Test
  void shouldExitTwoNamingTheFlagAndPortWhenAnyFixedPortIsInUse() throws Exception {
    // Given a port some other process holds on the loopback address only
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress("127.0.0.1", 0));
      final int port = busy.getLocalPort();
      for (final String flag : new String[] {"--kafka-port", "--registry-port", "--features-port", "--drift-port"}) {
        err.reset();

        // When the demo is asked to use it for that endpoint
        final int code = run(flag, String.valueOf(port), "--report-dir", dir.resolve("r").toString());

        // Then it refuses before starting anything (no report dir), naming the flag and the port
        assertThat(code).as(flag).isEqualTo(DemoMain.EXIT_USAGE);
        assertThat(stderr()).contains(flag + ": port " + port + " is already in use");
        assertThat(dir.resolve("r")).doesNotExist();
      }
    }
  }

  @Test
  void shouldExitTwoNamingTheRateWhenItIsNotAPositiveNumber() {
    // Given / When / Then
    assertThat(run("--rate", "0")).isEqualTo(DemoMain.EXIT_USAGE);
    assertThat(stderr()).contains("--rate: must be a positive number of events per second, was 0.0");
    err.reset();
    assertThat(run("--rate", "fast")).isEqualTo(DemoMain.EXIT_USAGE);
    assertThat(stderr()).contains("--rate");
  }

  @Test
  void shouldParseEveryFlagWhenAllAreGiven() {
    // Given / When
    final DemoOptions o = DemoMain.parse(new String[] {"--duration", "90s", "--rate", "250", "--scenario",
        "null-spike", "--report-dir", "r", "--keep-running", "--registry", "reg", "--kafka-port", "19092",
        "--registry-port", "18081", "--features-port", "19401", "--scoring-port", "19402", "--drift-port", "19403"});

    // Then
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.rate()).isEqualTo(250.0);
    assertThat(o.scenario()).isEqualTo(DemoScenario.NULL_SPIKE);
    assertThat(o.reportDir()).isEqualTo(Path.of("r"));
    assertThat(o.keepRunning()).isTrue();
    assertThat(o.registryDir()).isEqualTo(Path.of("reg"));
    assertThat(o.brokerPort()).isEqualTo(19092);
    assertThat(o.driftPort()).isEqualTo(19403);
  }

  @Test
  void shouldRejectADurationWhenItIsNotOne() {
    // Given / When / Then
    assertThat(DemoMain.duration("3m")).isEqualTo(Duration.ofMinutes(3));
    assertThat(DemoMain.duration("PT45S")).isEqualTo(Duration.ofSeconds(45));
    assertThatThrownBy(() -> DemoMain.duration("soon")).isInstanceOf(DemoUsageException.class)
        .hasMessageContaining("--duration: 'soon'");
    assertThatThrownBy(() -> DemoMain.parse(new String[] {"--duration", "0s"}))
        .isInstanceOf(DemoUsageException.class).hasMessageContaining("--duration: must be positive");
  }

  @Test
  void shouldRejectTwoOptionsWhenTheyShareAPort() {
    // Given / When / Then
    assertThatThrownBy(() -> DemoMain.parse(new String[] {"--features-port", "19500", "--scoring-port", "19500"}))
        .isInstanceOf(DemoUsageException.class)
        .hasMessage("--scoring-port: port 19500 is already given to --features-port");
  }
}
