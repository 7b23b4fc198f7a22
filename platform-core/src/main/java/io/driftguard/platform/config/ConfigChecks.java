package io.driftguard.platform.config;

import java.time.Duration;

/**
 * Checks for compact constructors of config records. Each names the key (the record component) so the loader can
 * report the full dotted path.
 */
public final class ConfigChecks {

    private ConfigChecks() {
    }

    public static <T> T required(final String key, final T value) {
        if (value == null) {
            throw new ConfigException(key, "is required but missing");
        }
        return value;
    }

    public static String requiredText(final String key, final String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, "is required but missing or blank");
        }
        return value.trim();
    }

    public static Duration positive(final String key, final Duration value) {
        required(key, value);
        if (value.isZero() || value.isNegative()) {
            throw new ConfigException(key, "must be a positive duration, got " + value);
        }
        return value;
    }

    public static Duration notNegative(final String key, final Duration value) {
        required(key, value);
        if (value.isNegative()) {
            throw new ConfigException(key, "must not be negative, got " + value);
        }
        return value;
    }

    public static int inRange(final String key, final Integer value, final int min, final int max) {
        required(key, value);
        if (value < min || value > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public static long inRange(final String key, final Long value, final long min, final long max) {
        required(key, value);
        if (value < min || value > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public static <T> T orDefault(final T value, final T fallback) {
        return value == null ? fallback : value;
    }
}
