package io.driftguard.reliability.support;

import io.driftguard.cli.Driftguard;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Trains model {@code fraud} v1 through the real CLI ({@code driftguard train --promote}) into a registry dir. */
public final class DemoModel {
  private static Path shared;

  private DemoModel() {
  }

  /** One champion per test JVM (training takes tens of seconds on a busy machine), under {@code target/}. */
  public static synchronized Path sharedChampion() {
    if (shared == null) {
      final Path dir = Path.of("target", "reliability-model").toAbsolutePath();
      deleteRecursively(dir);
      shared = trainChampion(dir);
    }
    return shared;
  }

  private static void deleteRecursively(final Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the previous model dir " + dir, e);
    }
  }

  /** Returns the registry dir holding the promoted champion; fails with the CLI's output when training fails. */
  public static Path trainChampion(final Path dir) {
    final String yaml;
    try (InputStream in = DemoModel.class.getResourceAsStream("/reliability/small-fraud.yaml")) {
      if (in == null) {
        throw new IllegalStateException("test resource /reliability/small-fraud.yaml is missing");
      }
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Files.createDirectories(dir);
      final Path config = Files.writeString(dir.resolve("small-fraud.yaml"), yaml);
      final Path registry = dir.resolve("registry");
      final CommandLine cli = Driftguard.commandLine();
      final StringWriter out = new StringWriter();
      final StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      final int exit = cli.execute("train", "--config", config.toString(), "--registry", registry.toString(),
          "--version", "v1", "--out", dir.resolve("run-v1").toString(), "--promote", "--who", "reliability");
      if (exit != 0) {
        throw new IllegalStateException("driftguard train exited " + exit + "\n" + out + "\n" + err);
      }
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare training in " + dir, e);
    }
  }
}
