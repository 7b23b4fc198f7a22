package io.driftguard.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * The YAML plumbing the model module's configs share (pipeline, training set, trainer), so a file, a YAML error or
 * a duration is reported the same way whichever config reads it.
 */
public final class ConfigText {
  private ConfigText() {
  }

  /**
   * Reads {@code path} as UTF-8 and parses it; a missing file or a parse error names the file.
   *
   * @param what what the file holds, e.g. "training config"
   */
  public static <T> T load(final Path path, final String what, final Function<String, T> parser)
      throws IOException {
    final String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(what + " file not found: " + path, e);
    }
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid " + what + " " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses YAML that must be a mapping.
   *
   * @param what names the mapping in the error, e.g. "training config"
   */
  public static JsonNode yamlMapping(final String yaml, final String what) {
    final JsonNode tree;
    try {
      tree = Json.yaml().readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException(what + " must be a YAML mapping");
    }
    return tree;
  }

  /**
   * Parses ISO-8601 ({@code PT6H}) or short ({@code 90s}, {@code 5m}, {@code 6h}, {@code 2d}) durations.
   *
   * @param key the config key, named in the error
   */
  public static Duration duration(final String text, final String key) {
    if (text == null) {
      throw new IllegalArgumentException(key + " must be a duration like PT6H, 90s, 5m, 6h or 2d, was null");
    }
    final String s = text.strip();
    try {
      if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
        return Duration.parse(s);
      }
      final long n = Long.parseLong(s.substring(0, s.length() - 1));
      return switch (s.charAt(s.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException("unit");
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + " must be a duration like PT6H, 90s, 5m, 6h or 2d, was '" + text
          + "'", e);
    }
  }
}
