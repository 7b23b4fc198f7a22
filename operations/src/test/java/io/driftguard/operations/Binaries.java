package io.driftguard.operations;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus tools from Debian's packages. A missing binary is a failure, never a skip: CI must prove the rules.
 */
final class Binaries {
  static final String INSTALL_HINT =
      "install it with: apt-get update && apt-get install -y prometheus prometheus-alertmanager";

  private Binaries() {}

  /** The first of {@code names} on the PATH (or /usr/bin), else an AssertionError that says how to install it. */
  static Path require(final String... names) {
    final List<Path> dirs = new ArrayList<>();
    final String path = System.getenv("PATH");
    if (path != null) {
      for (final String dir : path.split(File.pathSeparator)) {
        if (!dir.isBlank()) {
          dirs.add(Path.of(dir));
        }
      }
    }
    dirs.add(Path.of("/usr/bin"));
    for (final String name : names) {
      for (final Path dir : dirs) {
        final Path candidate = dir.resolve(name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new AssertionError("'" + String.join("' or '", names) + "' not found on PATH; " + INSTALL_HINT);
  }

  /** The outcome of one command. */
  record Result(List<String> command, int exitCode, String output) {
    @Override
    public String toString() {
      return String.join(" ", command) + " -> exit " + exitCode + "\n" + output;
    }
  }

  /** Runs {@code command} in {@code dir}, output and error merged, killing it after {@code timeoutSeconds}. */
  static Result run(final Path dir, final long timeoutSeconds, final List<String> command) {
    try {
      final Path log = Files.createTempFile("driftguard-ops-", ".log");
      try {
        final Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(command, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }
}
