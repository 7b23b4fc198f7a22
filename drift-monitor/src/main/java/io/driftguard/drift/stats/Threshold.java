package io.driftguard.drift.stats;

/**
 * A two-level threshold. For {@link Direction#ABOVE} a value {@code >= warning} breaches (a distance); for
 * {@link Direction#BELOW} a value {@code < warning} breaches (a p-value). {@code critical} is the stricter level; use
 * {@link #above(double)} / {@link #below(double)} for a single level.
 */
public record Threshold(Direction direction, double warning, double critical) {

    /** Which side of the threshold is bad. */
    public enum Direction { ABOVE, BELOW }

    public Threshold {
        if (direction == null) {
            throw new IllegalArgumentException("direction: must not be null");
        }
        if (Double.isNaN(warning) || Double.isInfinite(warning)) {
            throw new IllegalArgumentException("warning: must be finite, got " + warning);
        }
        if (Double.isNaN(critical)) {
            throw new IllegalArgumentException("critical: must not be NaN");
        }
        if (direction == Direction.ABOVE && critical < warning) {
            throw new IllegalArgumentException("critical: must be >= warning (" + warning + ") for ABOVE, got "
                    + critical);
        }
        if (direction == Direction.BELOW && critical > warning) {
            throw new IllegalArgumentException("critical: must be <= warning (" + warning + ") for BELOW, got "
                    + critical);
        }
    }

    /** Breaches at {@code >= warning}, never critical. */
    public static Threshold above(final double warning) {
        return new Threshold(Direction.ABOVE, warning, Double.POSITIVE_INFINITY);
    }

    public static Threshold above(final double warning, final double critical) {
        return new Threshold(Direction.ABOVE, warning, critical);
    }

    /** Breaches at {@code < warning}, never critical. */
    public static Threshold below(final double warning) {
        return new Threshold(Direction.BELOW, warning, 0.0);
    }

    public static Threshold below(final double warning, final double critical) {
        return new Threshold(Direction.BELOW, warning, critical);
    }

    /** The level of {@code value} (never INSUFFICIENT_DATA). NaN is CLEAN: it carries no evidence of drift. */
    public Level levelOf(final double value) {
        if (Double.isNaN(value)) {
            return Level.CLEAN;
        }
        if (direction == Direction.ABOVE) {
            return value >= critical ? Level.CRITICAL : value >= warning ? Level.WARNING : Level.CLEAN;
        }
        return value < critical ? Level.CRITICAL : value < warning ? Level.WARNING : Level.CLEAN;
    }

    /** The threshold value a verdict at {@code level} was compared against. */
    public double valueFor(final Level level) {
        return level == Level.CRITICAL ? critical : warning;
    }
}
