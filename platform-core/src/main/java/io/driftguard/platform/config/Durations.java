package io.driftguard.platform.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses config durations: ISO-8601 ({@code PT5M}) or a number with a unit ({@code 500ms}, {@code 5s}, {@code 5m}, {@code 24h}, {@code 7d}). */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException with a message saying what was expected and what was given
     */
    public static Duration parse(final String text) {
        final String trimmed = text == null ? "" : text.trim();
        final Matcher matcher = SHORT.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            final long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new IllegalStateException("unit " + matcher.group(2));
            };
        }
        if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (final DateTimeParseException e) {
                // fall through to the uniform message below
            }
        }
        throw new IllegalArgumentException("expected a duration like 5s or PT5S, got '" + text + "'");
    }
}
