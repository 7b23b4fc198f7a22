package io.driftguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.demo.DemoOptions;
import io.driftguard.demo.DemoScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldExitTwoNamingTheScenarioWhenItIsUnknown() {
        // When
        final Cli.Run run = Cli.run("demo", "--scenario", "nope", "--report-dir", dir.toString());

        // Then
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("driftguard: --scenario: unknown scenario 'nope'; expected one of "
            + "drift-and-rollback, steady, null-spike, label-outage", "Run 'driftguard demo --help' for usage.");
        assertThat(run.out()).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void shouldExitTwoNamingTheRateWhenItIsNegative() {
        // When
        final Cli.Run spaced = Cli.run("demo", "--rate", "-1", "--report-dir", dir.toString());
        final Cli.Run joined = Cli.run("demo", "--rate=-1", "--report-dir", dir.toString());

        // Then
        for (final Cli.Run run : new Cli.Run[] {spaced, joined}) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains(
                "driftguard: --rate: must be a positive number of events per second, was -1.0",
                "Run 'driftguard demo --help' for usage.");
            assertThat(run.out()).isEmpty();
        }
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void shouldExitTwoNamingTheOptionWhenAValueIsOutOfRange() {
        // When / Then
        final Cli.Run zero = Cli.run("demo", "--duration", "0s");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("driftguard: --duration: must be positive");

        final Cli.Run notADuration = Cli.run("demo", "--duration", "soon");
        assertThat(notADuration.exitCode()).isEqualTo(2);
        assertThat(notADuration.err()).contains("--duration", "'soon'");

        final Cli.Run tooFast = Cli.run("demo", "--rate", "9000");
        assertThat(tooFast.exitCode()).isEqualTo(2);
        assertThat(tooFast.err()).contains("driftguard: --rate: at most 5000 events/s");

        final Cli.Run port = Cli.run("demo", "--drift-port", "70000");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("driftguard: --drift-port: must be 0 (ephemeral) or 1-65535, was 70000");

        final Cli.Run shared = Cli.run("demo", "--features-port", "19500", "--scoring-port", "19500");
        assertThat(shared.exitCode()).isEqualTo(2);
        assertThat(shared.err()).contains("--scoring-port: port 19500 is already given to --features-port");
    }

    @Test
    void shouldExitTwoNamingThePortWhenItIsInUse() throws Exception {
        // Given a port another socket holds
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(0));
            final int port = busy.getLocalPort();

            // When the demo is asked to serve scoring there
            final Cli.Run run = Cli.run("demo", "--scoring-port", String.valueOf(port), "--report-dir",
                dir.resolve("report").toString());

            // Then the demo itself refuses before starting anything, naming the flag and the port
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("--scoring-port: port " + port + " is already in use");
            assertThat(dir.resolve("report")).doesNotExist();
        }
    }

    @Test
    void shouldBuildTheDemoDefaultsWhenNoOptionIsGiven() {
        // Given
        final DemoCommand command = parse();

        // When
        final DemoOptions options = command.options();

        // Then the CLI's defaults are the demo module's
        final DemoOptions defaults = DemoOptions.defaults(Path.of("report"));
        assertThat(options).isEqualTo(defaults);
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(3));
        assertThat(options.registryDir()).isEqualTo(Path.of("report", "registry"));
    }

    @Test
    void shouldPassEveryOptionWhenAllAreGiven() {
        // Given
        final DemoCommand command = parse("--duration", "90s", "--rate", "250", "--scenario", "NULL-SPIKE",
            "--report-dir", "r", "--keep-running", "--registry", "reg", "--data-dir", "data", "--kafka-port", "19092",
            "--registry-port", "18081", "--features-port", "19401", "--scoring-port", "19402", "--drift-port",
            "19403");

        // When
        final DemoOptions o = command.options();

        // Then
        assertThat(o).isEqualTo(new DemoOptions(Duration.ofSeconds(90), 250, DemoScenario.NULL_SPIKE, Path.of("r"),
            true, Path.of("reg"), Path.of("data"), 19092, 18081, 19401, 19402, 19403));
    }

    @Test
    void shouldListEveryOptionWithItsDefaultWhenHelpIsAsked() {
        // When
        final Cli.Run run = Cli.run("demo", "--help");

        // Then
        assertThat(run.exitCode()).isZero();
        final String help = run.out().replaceAll("\\s+", " ");
        assertThat(help).contains("Usage: driftguard demo",
            "--duration=DURATION", "Default: 3m",
            "--rate=N", "Default: 100",
            "--scenario=NAME", "drift-and-rollback", "steady", "null-spike", "label-outage",
            "Default: " + DemoScenario.DRIFT_AND_ROLLBACK.cliName(),
            "--report-dir=DIR", "Default: report", "index.html", "summary.json",
            "--keep-running", "--registry=DIR", "Default: REPORT-DIR/registry",
            "--data-dir=DIR", "--kafka-port=PORT", "--registry-port=PORT", "--features-port=PORT",
            "--scoring-port=PORT", "--drift-port=PORT", "any free port", "Exit codes: 0 done, 1 failure, 2");
        // every scenario the demo knows is named, and no other
        for (final DemoScenario s : DemoScenario.values()) {
            assertThat(help).contains(s.cliName() + " (");
        }
        assertThat(Cli.run("--help").out()).contains("demo");
    }

    @Test
    void shouldPassTextThroughWhenBytesArriveSplitInsideACharacter() {
        // Given
        final StringWriter target = new StringWriter();
        final DemoCommand.WriterOutputStream stream = new DemoCommand.WriterOutputStream(new PrintWriter(target));
        final byte[] bytes = "p99 → 3 µs\n".getBytes(StandardCharsets.UTF_8);

        // When each byte arrives on its own
        for (final byte b : bytes) {
            stream.write(b);
        }
        stream.flush();

        // Then
        assertThat(target.toString()).isEqualTo("p99 → 3 µs\n");
    }

    private static DemoCommand parse(final String... args) {
        final DemoCommand command = new DemoCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
