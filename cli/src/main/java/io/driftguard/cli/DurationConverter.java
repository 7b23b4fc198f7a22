package io.driftguard.cli;

import io.driftguard.platform.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 90s}, {@code 5m}, {@code 24h}, {@code 7d} or ISO {@code PT5M}, as in config files. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(final String value) {
        try {
            return Durations.parse(value);
        } catch (final RuntimeException e) {
            throw new TypeConversionException("expected a duration like 30s, 5m, 24h, 7d or PT5M, got '" + value + "'");
        }
    }
}
