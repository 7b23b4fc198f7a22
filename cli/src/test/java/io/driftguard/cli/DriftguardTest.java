package io.driftguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DriftguardTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args) {
        final CommandLine commandLine = Driftguard.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldListSubcommandsWhenHelpIsAsked() {
        // When
        final int code = run("--help");

        // Then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: driftguard", "dev-stack", "--version", "--verbose");
    }

    @Test
    void shouldDescribeOptionsWhenDevStackHelpIsAsked() {
        assertThat(run("dev-stack", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("Usage: driftguard dev-stack",
            "--broker-port=PORT", "Default: 9092",
            "--registry-port=PORT", "Default: 8081", "--data-dir=DIR", "--partitions=N", "Default: 4");
    }

    @Test
    void shouldPrintVersionWhenAsked() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).containsPattern("driftguard \\d+\\.\\d+\\.\\d+").contains("Kafka 4.4.0");
    }

    @Test
    void shouldExitTwoWhenUsageIsWrong() {
        assertThat(run("--no-such-option")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
        assertThat(run()).isEqualTo(2);
        assertThat(run("dev-stack", "--broker-port", "abc")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--broker-port': 'abc' is not an int");
    }

    @Test
    void shouldPrintOneLineAndExitOneWhenPortIsInUse() throws Exception {
        // Given
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(0));
            final int port = busy.getLocalPort();

            // When
            final int code = run("dev-stack", "--broker-port", String.valueOf(port), "--registry-port", "0");

            // Then
            assertThat(code).isEqualTo(1);
            assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("driftguard: Kafka broker port " + port + " is already in use");
        }
    }

    @Test
    void shouldPrintStackTraceWhenVerbose() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(0));
            final int code = run("dev-stack", "--verbose", "--broker-port", String.valueOf(busy.getLocalPort()));
            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).contains("java.lang.IllegalStateException", "\tat ");
        }
    }
}
