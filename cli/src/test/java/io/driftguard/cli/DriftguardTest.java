package io.driftguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
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
        assertThat(out.toString()).contains("Usage: driftguard", "dev-stack", "--version", "--verbose", "generate",
            "train", "evaluate", "promote", "rollback", "models", "run");
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> commandHelp() {
        return java.util.stream.Stream.of(
            org.junit.jupiter.params.provider.Arguments.of("generate", List.of("--out=DIR", "--format=jsonl|avro",
                "--bootstrap-servers", "--schema-registry", "--rate=N", "--duration", "--cards=N", "--seed=N",
                "--scenario", "AMOUNT_SHIFT", "--onset", "--label-delay", "keyed by card id")),
            org.junit.jupiter.params.provider.Arguments.of("train", List.of("--config=FILE", "--data=PATH",
                "--registry=DIR", "--version=V", "--out=DIR", "--promote", "--who", "Exit code 1 when --promote")),
            org.junit.jupiter.params.provider.Arguments.of("evaluate", List.of("--registry=DIR", "--model=NAME",
                "--version=V", "--config=FILE", "--data=PATH", "--out=DIR", "champion")),
            org.junit.jupiter.params.provider.Arguments.of("promote", List.of("--registry=DIR", "--model=NAME",
                "--version=V", "--who=NAME", "--why=TEXT", "--bootstrap-servers", "--schema-registry",
                "KAFKA_SECURITY_PROTOCOL", "every failed gate", "model-control")),
            org.junit.jupiter.params.provider.Arguments.of("rollback", List.of("--registry=DIR", "--model=NAME",
                "--who=NAME", "--why=TEXT", "--bootstrap-servers", "--schema-registry", "Never retrains",
                "ROLLBACK")),
            org.junit.jupiter.params.provider.Arguments.of("models", List.of("list", "show", "history")),
            org.junit.jupiter.params.provider.Arguments.of("run", List.of("feature-stream", "DRIFTGUARD_*",
                "exit 2")));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("commandHelp")
    void shouldDescribeEveryOptionWhenACommandsHelpIsAsked(final String command, final List<String> expected) {
        // When
        final int code = run(command, "--help");

        // Then
        assertThat(code).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("Usage: driftguard " + command)
            .contains(expected);
    }

    @Test
    void shouldDescribeNestedCommandsWhenTheirHelpIsAsked() {
        assertThat(run("models", "show", "--help")).isZero();
        assertThat(run("models", "list", "--help")).isZero();
        assertThat(run("run", "feature-stream", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("Usage: driftguard models show",
            "--version=V", "Usage: driftguard models list", "Usage: driftguard run feature-stream",
            "--config=FILE", "features");
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
