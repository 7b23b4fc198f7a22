package io.driftguard.drift.config;

import io.driftguard.drift.alerting.HysteresisConfig;
import io.driftguard.drift.stats.DriftThresholds;
import io.driftguard.drift.topology.ModelReference;
import io.driftguard.platform.config.ConfigException;
import io.driftguard.platform.config.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code drift} section of the drift-monitor app's config (register it with
 * {@code ConfigLoader.withSection("drift", DriftMonitorConfig.class)}). Every component is optional except
 * {@code registryDir}; errors name the key.
 *
 * @param windowSize event-time window size, default 5m
 * @param windowAdvance hop of hopping windows; null (default) means tumbling; must divide {@code windowSize}
 * @param grace how long a window accepts late records after it ends, default 1m; verdicts come at window close
 * @param thresholdsMode {@code DEFAULT} (docs/monitoring.md) or {@code CALIBRATED} (PSI and JS per feature from a
 *     bootstrap over the reference bins)
 * @param calibrationWindowSize bootstrap window size for CALIBRATED (set it near the expected window volume), 1000
 * @param calibrationBootstraps bootstrap windows for CALIBRATED, default 200
 * @param calibrationQuantile quantile of the bootstrap distribution used as threshold, default 0.99
 * @param minSampleSize fewest observations a statistic is graded on, default 100
 * @param raiseAfter hysteresis N: consecutive breaching windows before FIRING, default 3
 * @param clearAfter hysteresis M: consecutive clean windows before RESOLVED, default 3
 * @param staleRateWarning stale share of a feature's values that breaches, default 0.05
 * @param fallbackRateWarning share of predictions with a fallback reason that breaches, default 0.05
 * @param minWindowVolume a window with fewer predictions breaches the volume check; 0 (default) turns it off
 * @param labelHorizon how long a prediction waits for its label, default 7d; later labels are not joined
 * @param expectedLabelCurve expected label coverage by cohort age, e.g. {@code {1d: 0.5, 7d: 0.9}}: ages are
 *     durations up to the horizon, fractions in [0, 1] and non-decreasing; linear between points, from (0, 0).
 *     Default: 0.5 at half the horizon, 0.9 at the horizon
 * @param labelStallRatio LABEL_ARRIVAL_STALLED breaches when labels received / labels expected (over every open
 *     cohort) falls below this, default 0.5
 * @param minExpectedLabels fewest expected labels the stall check is graded on, default 20
 * @param registryDir the model registry directory the reference profiles are read from (required)
 * @param rollbackPolicyFile the rollback policy YAML; null means alerts only, no automatic rollback
 * @param rollbackToken bearer token of {@code POST /rollback} (at least 16 characters); prefer
 *     {@code rollbackTokenFile}, which keeps the token out of the config and the environment
 * @param rollbackTokenFile a file whose content (surrounding whitespace trimmed) is the bearer token of
 *     {@code POST /rollback}, e.g. the secret Alertmanager sends too; set at most one of the two. With neither, the
 *     endpoint is not mounted
 */
public record DriftMonitorConfig(
        Duration windowSize,
        Duration windowAdvance,
        Duration grace,
        ModelReference.ThresholdMode thresholdsMode,
        Integer calibrationWindowSize,
        Integer calibrationBootstraps,
        Double calibrationQuantile,
        Long minSampleSize,
        Integer raiseAfter,
        Integer clearAfter,
        Double staleRateWarning,
        Double fallbackRateWarning,
        Long minWindowVolume,
        Duration labelHorizon,
        Map<String, Double> expectedLabelCurve,
        Double labelStallRatio,
        Long minExpectedLabels,
        Path registryDir,
        Path rollbackPolicyFile,
        String rollbackToken,
        Path rollbackTokenFile) {

    /** Full key of the token file in the {@code drift} section, for errors raised after loading. */
    static final String TOKEN_FILE_KEY = "drift.rollbackTokenFile";


    public static final Duration DEFAULT_WINDOW_SIZE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(1);
    public static final Duration DEFAULT_LABEL_HORIZON = Duration.ofDays(7);
    /** Shortest accepted rollback bearer token. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public DriftMonitorConfig {
        windowSize = positive("windowSize", windowSize == null ? DEFAULT_WINDOW_SIZE : windowSize);
        if (windowAdvance != null) {
            positive("windowAdvance", windowAdvance);
            if (windowAdvance.compareTo(windowSize) > 0 || windowSize.toMillis() % windowAdvance.toMillis() != 0) {
                throw new ConfigException("windowAdvance", "must divide windowSize (" + windowSize + "), got "
                        + windowAdvance);
            }
        }
        grace = grace == null ? DEFAULT_GRACE : grace;
        if (grace.isNegative()) {
            throw new ConfigException("grace", "must not be negative, got " + grace);
        }
        thresholdsMode = thresholdsMode == null ? ModelReference.ThresholdMode.DEFAULT : thresholdsMode;
        calibrationWindowSize = range("calibrationWindowSize", calibrationWindowSize, 1000, 10, 1_000_000);
        calibrationBootstraps = range("calibrationBootstraps", calibrationBootstraps, 200, 20, 100_000);
        calibrationQuantile = fraction("calibrationQuantile", calibrationQuantile, 0.99);
        if (calibrationQuantile <= 0.5 || calibrationQuantile >= 1.0) {
            throw new ConfigException("calibrationQuantile", "must be in (0.5, 1), got " + calibrationQuantile);
        }
        minSampleSize = minSampleSize == null ? DriftThresholds.DEFAULT_MIN_SAMPLE_SIZE : minSampleSize;
        if (minSampleSize < 1) {
            throw new ConfigException("minSampleSize", "must be >= 1, got " + minSampleSize);
        }
        raiseAfter = range("raiseAfter", raiseAfter, HysteresisConfig.DEFAULT_RAISE_AFTER, 1, 1000);
        clearAfter = range("clearAfter", clearAfter, HysteresisConfig.DEFAULT_CLEAR_AFTER, 1, 1000);
        staleRateWarning = fraction("staleRateWarning", staleRateWarning, 0.05);
        fallbackRateWarning = fraction("fallbackRateWarning", fallbackRateWarning, 0.05);
        minWindowVolume = minWindowVolume == null ? 0L : minWindowVolume;
        if (minWindowVolume < 0) {
            throw new ConfigException("minWindowVolume", "must be >= 0, got " + minWindowVolume);
        }
        labelHorizon = positive("labelHorizon", labelHorizon == null ? DEFAULT_LABEL_HORIZON : labelHorizon);
        expectedLabelCurve = expectedLabelCurve == null
                ? Map.of(labelHorizon.dividedBy(2).toMillis() + "ms", 0.5, labelHorizon.toMillis() + "ms", 0.9)
                : expectedLabelCurve;
        parseCurve(expectedLabelCurve, labelHorizon);
        expectedLabelCurve = Map.copyOf(expectedLabelCurve);
        labelStallRatio = fraction("labelStallRatio", labelStallRatio, 0.5);
        minExpectedLabels = minExpectedLabels == null ? 20L : minExpectedLabels;
        if (minExpectedLabels < 1) {
            throw new ConfigException("minExpectedLabels", "must be >= 1, got " + minExpectedLabels);
        }
        if (registryDir == null) {
            throw new ConfigException("registryDir", "is required (the model registry directory)");
        }
        if (rollbackToken != null && rollbackToken.length() < MIN_TOKEN_LENGTH) {
            throw new ConfigException("rollbackToken", "must be at least " + MIN_TOKEN_LENGTH
                    + " characters when set");
        }
        if (rollbackToken != null && rollbackTokenFile != null) {
            throw new ConfigException("rollbackTokenFile", "set only one of rollbackToken and rollbackTokenFile");
        }
    }

    /** The config without a token file (the shape before {@code rollbackTokenFile} existed). */
    public DriftMonitorConfig(final Duration windowSize, final Duration windowAdvance, final Duration grace,
            final ModelReference.ThresholdMode thresholdsMode, final Integer calibrationWindowSize,
            final Integer calibrationBootstraps, final Double calibrationQuantile, final Long minSampleSize,
            final Integer raiseAfter, final Integer clearAfter, final Double staleRateWarning,
            final Double fallbackRateWarning, final Long minWindowVolume, final Duration labelHorizon,
            final Map<String, Double> expectedLabelCurve, final Double labelStallRatio, final Long minExpectedLabels,
            final Path registryDir, final Path rollbackPolicyFile, final String rollbackToken) {
        this(windowSize, windowAdvance, grace, thresholdsMode, calibrationWindowSize, calibrationBootstraps,
                calibrationQuantile, minSampleSize, raiseAfter, clearAfter, staleRateWarning, fallbackRateWarning,
                minWindowVolume, labelHorizon, expectedLabelCurve, labelStallRatio, minExpectedLabels, registryDir,
                rollbackPolicyFile, rollbackToken, null);
    }

    /**
     * The bearer token of {@code POST /rollback}: the content of {@code rollbackTokenFile} (trimmed) or
     * {@code rollbackToken}; empty when neither is set.
     *
     * @throws ConfigException naming {@code rollbackTokenFile} when the file cannot be read or holds a short token
     */
    public Optional<String> resolveRollbackToken() {
        // Read after loading, outside the loader that prefixes section keys, so the full key is spelled out here.
        if (rollbackTokenFile == null) {
            return Optional.ofNullable(rollbackToken);
        }
        final String token;
        try {
            token = Files.readString(rollbackTokenFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException(TOKEN_FILE_KEY, "cannot read '" + rollbackTokenFile + "': "
                    + e.getClass().getSimpleName());
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            // The message never contains the token, only its length.
            throw new ConfigException(TOKEN_FILE_KEY, "'" + rollbackTokenFile + "' must hold a token of at least "
                    + MIN_TOKEN_LENGTH + " characters, got " + token.length());
        }
        return Optional.of(token);
    }

    @Override
    public String toString() {
        // Never print the token itself.
        return "DriftMonitorConfig[windowSize=" + windowSize + ", windowAdvance=" + windowAdvance + ", grace=" + grace
                + ", thresholdsMode=" + thresholdsMode + ", registryDir=" + registryDir + ", rollbackPolicyFile="
                + rollbackPolicyFile + ", rollbackToken=" + (rollbackToken == null ? "none" : "[hidden]")
                + ", rollbackTokenFile=" + rollbackTokenFile + "]";
    }

    /** The hysteresis N/M (repeat while firing, so rules on persistence see it). */
    public HysteresisConfig hysteresis() {
        return new HysteresisConfig(raiseAfter, clearAfter, true);
    }

    /** The statistic thresholds: the documented defaults with this minimum sample size. */
    public DriftThresholds thresholds() {
        return DriftThresholds.defaults().withMinSampleSize(minSampleSize);
    }

    public ModelReference.Calibration calibration() {
        return new ModelReference.Calibration(thresholdsMode, calibrationWindowSize, calibrationBootstraps,
                calibrationQuantile);
    }

    /** The expected label curve as age (ms) to expected coverage, sorted by age. */
    public NavigableMap<Long, Double> labelCurve() {
        return parseCurve(expectedLabelCurve, labelHorizon);
    }

    /** Expected label coverage of a cohort of this age: linear between the curve's points, from (0, 0). */
    public double expectedCoverage(final long ageMs) {
        return expectedCoverage(labelCurve(), ageMs);
    }

    /** {@link #expectedCoverage(long)} on an already parsed curve. */
    public static double expectedCoverage(final NavigableMap<Long, Double> curve, final long ageMs) {
        if (ageMs <= 0) {
            return 0.0;
        }
        final Map.Entry<Long, Double> below = curve.floorEntry(ageMs);
        final Map.Entry<Long, Double> above = curve.ceilingEntry(ageMs);
        final long x0 = below == null ? 0L : below.getKey();
        final double y0 = below == null ? 0.0 : below.getValue();
        if (above == null) {
            return y0;
        }
        if (above.getKey() == x0) {
            return above.getValue();
        }
        return y0 + (above.getValue() - y0) * (ageMs - x0) / (double) (above.getKey() - x0);
    }

    /** A config with every default and this registry directory. */
    public static DriftMonitorConfig defaults(final Path registryDir) {
        return new DriftMonitorConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, registryDir, null, null, null);
    }

    private static NavigableMap<Long, Double> parseCurve(final Map<String, Double> curve, final Duration horizon) {
        if (curve.isEmpty()) {
            throw new ConfigException("expectedLabelCurve", "must have at least one point, e.g. {1d: 0.5}");
        }
        final NavigableMap<Long, Double> points = new TreeMap<>();
        for (final Map.Entry<String, Double> e : curve.entrySet()) {
            final String key = "expectedLabelCurve." + e.getKey();
            final Duration age;
            try {
                age = Durations.parse(e.getKey());
            } catch (IllegalArgumentException | ConfigException ex) {
                throw new ConfigException(key, "expected a duration like 1d or PT24H as the age, got '" + e.getKey()
                        + "'");
            }
            if (age.isNegative() || age.isZero() || age.compareTo(horizon) > 0) {
                throw new ConfigException(key, "age must be in (0, labelHorizon=" + horizon + "]");
            }
            final Double fraction = e.getValue();
            if (fraction == null || !(fraction >= 0.0 && fraction <= 1.0)) {
                throw new ConfigException(key, "expected coverage must be in [0, 1], got " + fraction);
            }
            points.put(age.toMillis(), fraction);
        }
        double previous = 0.0;
        for (final Map.Entry<Long, Double> p : points.entrySet()) {
            if (p.getValue() < previous) {
                throw new ConfigException("expectedLabelCurve", "coverage must not decrease with age, got "
                        + p.getValue() + " at " + Duration.ofMillis(p.getKey()) + " after " + previous);
            }
            previous = p.getValue();
        }
        return points;
    }

    private static Duration positive(final String key, final Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(key, "must be a positive duration, got " + value);
        }
        return value;
    }

    private static int range(final String key, final Integer value, final int fallback, final int min,
            final int max) {
        final int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw new ConfigException(key, "must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    private static double fraction(final String key, final Double value, final double fallback) {
        final double v = value == null ? fallback : value;
        if (!(v >= 0.0 && v <= 1.0)) {
            throw new ConfigException(key, "must be in [0, 1], got " + v);
        }
        return v;
    }
}
