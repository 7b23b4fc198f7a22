package io.driftguard.model.bundle;

import io.driftguard.model.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** {@code checksums.sha256} in sha256sum format ({@code <hex>  <file>}), one line per other bundle file. */
final class Checksums {
  static final String FILE = "checksums.sha256";

  private Checksums() {
  }

  static Map<String, String> compute(final Path dir) throws IOException {
    final Map<String, String> sums = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (final Path f : files.sorted().toList()) {
        final String name = f.getFileName().toString();
        if (!name.equals(FILE)) {
          if (!Files.isRegularFile(f)) {
            throw new IOException("bundle may only contain regular files, found " + f);
          }
          sums.put(name, Sha256.ofFile(f));
        }
      }
    }
    return sums;
  }

  static String render(final Map<String, String> sums) {
    final StringBuilder sb = new StringBuilder();
    sums.forEach((name, hex) -> sb.append(hex).append("  ").append(name).append('\n'));
    return sb.toString();
  }

  static Map<String, String> parse(final Path file) throws IOException {
    final Map<String, String> sums = new TreeMap<>();
    int lineNo = 0;
    for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      final String[] parts = line.split(" {2}", 2);
      if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}") || parts[1].isBlank()
          || parts[1].contains("/") || parts[1].contains("\\") || parts[1].startsWith(".")) {
        throw new BundleVerificationException(file + " line " + lineNo + " is not '<sha256>  <file name>': " + line);
      }
      if (sums.put(parts[1], parts[0]) != null) {
        throw new BundleVerificationException(file + " lists " + parts[1] + " twice");
      }
    }
    return sums;
  }
}
