package io.driftguard.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, where the operations files live (surefire passes it as {@code driftguard.root}). */
final class Repo {
  private Repo() {}

  static Path root() {
    final String configured = System.getProperty("driftguard.root");
    final Path root = (configured == null ? Path.of("..") : Path.of(configured)).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("operations"))) {
      throw new IllegalStateException("driftguard.root=" + root + " is not the driftguard repository root");
    }
    return root;
  }

  static Path file(final String relative) {
    final Path path = root().resolve(relative).normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("missing file " + relative + " (looked at " + path + ")");
    }
    return path;
  }

  static String read(final String relative) {
    try {
      return Files.readString(file(relative), StandardCharsets.UTF_8);
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot read " + relative, e);
    }
  }
}
