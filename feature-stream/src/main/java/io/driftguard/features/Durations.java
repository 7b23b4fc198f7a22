package io.driftguard.features;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the short duration notation used in feature sets ({@code 500ms}, {@code 10m}, {@code 24h}, {@code 7d}) and ISO-8601. */
final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  static Duration parse(final String text, final String key) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(key + ": duration is empty");
    }
    final String trimmed = text.trim();
    final Matcher m = SHORT.matcher(trimmed);
    if (m.matches()) {
      final long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(trimmed);
    } catch (final DateTimeParseException e) {
      throw new IllegalArgumentException(
          key + ": '" + trimmed + "' is not a duration (use e.g. 500ms, 30s, 10m, 24h, 7d or PT5M)", e);
    }
  }
}
