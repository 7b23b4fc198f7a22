package io.driftguard.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Java deserialization anywhere: every main source file of every module (found from the repository root in the
 * system property {@code driftguard.root}) is scanned for the classes and methods of Java serialization.
 */
class JavaSerializationScanTest {

  /** What Java serialization needs; comments are stripped first, so a doc mentioning it does not count. */
  private static final Pattern FORBIDDEN = Pattern.compile(
      "\\bObjectInputStream\\b|\\bObjectOutputStream\\b|\\breadObject\\s*\\(|\\breadResolve\\s*\\("
          + "|\\bimplements\\b[^{;]*\\b(java\\.io\\.)?(Serializable|Externalizable)\\b");
  private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  static List<String> scan(final Path root) {
    final List<String> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/"))
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
          .sorted()
          .forEach(p -> {
            final String code;
            try {
              code = COMMENTS.matcher(Files.readString(p, StandardCharsets.UTF_8)).replaceAll(" ");
            } catch (IOException e) {
              throw new UncheckedIOException("cannot read " + p, e);
            }
            final Matcher m = FORBIDDEN.matcher(code);
            while (m.find()) {
              hits.add(root.relativize(p) + ": " + m.group().replaceAll("\\s+", " "));
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot walk " + root, e);
    }
    return hits;
  }

  private static Path root() {
    final String root = System.getProperty("driftguard.root");
    assertThat(root).as("system property driftguard.root (set by reliability/pom.xml)").isNotBlank();
    return Path.of(root).toAbsolutePath().normalize();
  }

  @Test
  void shouldFindNoJavaSerializationWhenScanningEveryMainSource() {
    // Given the repository's main sources
    final Path root = root();
    final long sources;
    try (Stream<Path> files = Files.walk(root)) {
      sources = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/")
          && !p.toString().contains("/target/")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    // When they are scanned
    final List<String> hits = scan(root);

    // Then there are many sources and not one use of Java serialization
    assertThat(sources).as("main sources under %s", root).isGreaterThan(100);
    assertThat(hits).as("Java serialization in main sources").isEmpty();
  }

  @Test
  void shouldReportEachUseWhenASourcePlantsJavaSerialization(@TempDir final Path tmp) throws IOException {
    // Given a module with one clean class and one using each forbidden piece
    final Path main = Files.createDirectories(tmp.resolve("m/src/main/java/x"));
    Files.writeString(main.resolve("Clean.java"), """
        package x;
        /** Never uses ObjectInputStream; // readObject( in a comment is fine */
        final class Clean { }
        """);
    Files.writeString(main.resolve("Bad.java"), """
        package x;
        import java.io.*;
        final class Bad implements Comparable<Bad>,
            java.io.Serializable {
          Object read(InputStream in) throws Exception {
            return new ObjectInputStream(in).readObject();
          }
          void write(OutputStream out) throws Exception { new ObjectOutputStream(out); }
          public int compareTo(Bad o) { return 0; }
        }
        """);
    Files.createDirectories(tmp.resolve("m/src/test/java/x"));
    Files.writeString(tmp.resolve("m/src/test/java/x/T.java"), "class T { java.io.ObjectInputStream in; }");

    // When scanned
    final List<String> hits = scan(tmp);

    // Then every use in main code is reported with its file, and neither comments nor tests count
    assertThat(hits).hasSize(4).allMatch(h -> h.startsWith("m/src/main/java/x/Bad.java: "));
    assertThat(String.join("\n", hits)).contains("Serializable", "ObjectInputStream", "readObject(",
        "ObjectOutputStream");
  }
}
