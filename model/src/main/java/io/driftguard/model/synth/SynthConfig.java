package io.driftguard.model.synth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Configuration of the synthetic card-payment generator. Same config (including seed) gives the same records.
 *
 * @param seed random seed; the only source of randomness
 * @param cards number of cards (entities)
 * @param start event time of the start of the period
 * @param duration length of the period; no transaction has eventTime at or after {@code start + duration}
 * @param eventsPerCardDay mean legitimate payments per card per day (cards vary around it)
 * @param merchants number of merchants; at least one cash machine and one shop per category are always created in
 *     each of the 19 demo countries, so fewer than 209 yields 209
 * @param scenario drift injected from {@code onset}
 * @param onset first drifted instant; required unless scenario is NONE, and must lie within the period
 * @param amountShiftSigmas AMOUNT_SHIFT: log-amount shift in units of the card's log-amount sigma
 * @param nullSpikeRate NULL_SPIKE: probability that an ONLINE/MOBILE payment lacks its deviceId
 * @param newCountryShare NEW_COUNTRIES: share of payments that move to a never-seen country
 * @param fraudRateMultiplier LABEL_RATE_CHANGE: multiplier on the hidden fraud process
 * @param labelDelayMedian median of the log-normal label delay
 * @param labelDelaySigma sigma (of the log) of the log-normal label delay
 * @param missingLabelFraction fraction of transactions whose label never arrives
 */
public record SynthConfig(
        long seed,
        int cards,
        Instant start,
        Duration duration,
        double eventsPerCardDay,
        int merchants,
        Scenario scenario,
        Instant onset,
        double amountShiftSigmas,
        double nullSpikeRate,
        double newCountryShare,
        double fraudRateMultiplier,
        Duration labelDelayMedian,
        double labelDelaySigma,
        double missingLabelFraction) {

    public SynthConfig {
        if (cards < 1) {
            throw new IllegalArgumentException("cards must be >= 1, was " + cards);
        }
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
        if (!(eventsPerCardDay > 0) || Double.isInfinite(eventsPerCardDay)) {
            throw new IllegalArgumentException("eventsPerCardDay must be finite and > 0, was " + eventsPerCardDay);
        }
        if (merchants < 1) {
            throw new IllegalArgumentException("merchants must be >= 1, was " + merchants);
        }
        Objects.requireNonNull(scenario, "scenario");
        if (scenario == Scenario.NONE) {
            if (onset != null) {
                throw new IllegalArgumentException("onset must be null when scenario is NONE, was " + onset);
            }
        } else {
            if (onset == null) {
                throw new IllegalArgumentException("onset is required for scenario " + scenario);
            }
            if (onset.isBefore(start) || !onset.isBefore(start.plus(duration))) {
                throw new IllegalArgumentException("onset must lie in [start, start + duration) = [" + start + ", "
                        + start.plus(duration) + "), was " + onset);
            }
        }
        if (!Double.isFinite(amountShiftSigmas)) {
            throw new IllegalArgumentException("amountShiftSigmas must be finite, was " + amountShiftSigmas);
        }
        requireProbability("nullSpikeRate", nullSpikeRate);
        requireProbability("newCountryShare", newCountryShare);
        if (!(fraudRateMultiplier > 0) || Double.isInfinite(fraudRateMultiplier)) {
            throw new IllegalArgumentException("fraudRateMultiplier must be finite and > 0, was " + fraudRateMultiplier);
        }
        Objects.requireNonNull(labelDelayMedian, "labelDelayMedian");
        if (labelDelayMedian.isNegative() || labelDelayMedian.isZero()) {
            throw new IllegalArgumentException("labelDelayMedian must be positive, was " + labelDelayMedian);
        }
        if (!(labelDelaySigma >= 0) || Double.isInfinite(labelDelaySigma)) {
            throw new IllegalArgumentException("labelDelaySigma must be finite and >= 0, was " + labelDelaySigma);
        }
        if (!(missingLabelFraction >= 0 && missingLabelFraction < 1)) {
            throw new IllegalArgumentException("missingLabelFraction must be in [0, 1), was " + missingLabelFraction);
        }
    }

    private static void requireProbability(final String name, final double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
    }

    /** End of the period (exclusive). */
    public Instant end() {
        return start.plus(duration);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this config's values. */
    public Builder toBuilder() {
        final Builder b = new Builder();
        b.seed = seed;
        b.cards = cards;
        b.start = start;
        b.duration = duration;
        b.eventsPerCardDay = eventsPerCardDay;
        b.merchants = merchants;
        b.scenario = scenario;
        b.onset = onset;
        b.amountShiftSigmas = amountShiftSigmas;
        b.nullSpikeRate = nullSpikeRate;
        b.newCountryShare = newCountryShare;
        b.fraudRateMultiplier = fraudRateMultiplier;
        b.labelDelayMedian = labelDelayMedian;
        b.labelDelaySigma = labelDelaySigma;
        b.missingLabelFraction = missingLabelFraction;
        return b;
    }

    /** Builder with demo defaults: 1000 cards, 7 days from 2026-01-01, 6 payments per card-day, no drift. */
    public static final class Builder {
        private long seed = 42L;
        private int cards = 1000;
        private Instant start = Instant.parse("2026-01-01T00:00:00Z");
        private Duration duration = Duration.ofDays(7);
        private double eventsPerCardDay = 6.0;
        private Double eventsPerSecond;
        private int merchants = 500;
        private Scenario scenario = Scenario.NONE;
        private Instant onset;
        private double amountShiftSigmas = 2.0;
        private double nullSpikeRate = 0.6;
        private double newCountryShare = 0.3;
        private double fraudRateMultiplier = 3.0;
        private Duration labelDelayMedian = Duration.ofHours(24);
        private double labelDelaySigma = 1.0;
        private double missingLabelFraction = 0.05;

        private Builder() {
        }

        public Builder seed(final long value) {
            seed = value;
            return this;
        }

        public Builder cards(final int value) {
            cards = value;
            return this;
        }

        public Builder start(final Instant value) {
            start = value;
            return this;
        }

        public Builder duration(final Duration value) {
            duration = value;
            return this;
        }

        public Builder eventsPerCardDay(final double value) {
            eventsPerCardDay = value;
            eventsPerSecond = null;
            return this;
        }

        /** Overall mean rate of legitimate payments in event time; converted to a per-card-day rate at build. */
        public Builder eventsPerSecond(final double value) {
            eventsPerSecond = value;
            return this;
        }

        public Builder merchants(final int value) {
            merchants = value;
            return this;
        }

        /** Drift scenario and its onset (null onset only with NONE). */
        public Builder scenario(final Scenario value, final Instant onsetInstant) {
            scenario = value;
            onset = onsetInstant;
            return this;
        }

        public Builder amountShiftSigmas(final double value) {
            amountShiftSigmas = value;
            return this;
        }

        public Builder nullSpikeRate(final double value) {
            nullSpikeRate = value;
            return this;
        }

        public Builder newCountryShare(final double value) {
            newCountryShare = value;
            return this;
        }

        public Builder fraudRateMultiplier(final double value) {
            fraudRateMultiplier = value;
            return this;
        }

        public Builder labelDelayMedian(final Duration value) {
            labelDelayMedian = value;
            return this;
        }

        public Builder labelDelaySigma(final double value) {
            labelDelaySigma = value;
            return this;
        }

        public Builder missingLabelFraction(final double value) {
            missingLabelFraction = value;
            return this;
        }

        public SynthConfig build() {
            double perCardDay = eventsPerCardDay;
            if (eventsPerSecond != null) {
                if (!(eventsPerSecond > 0) || eventsPerSecond.isInfinite()) {
                    throw new IllegalArgumentException("eventsPerSecond must be finite and > 0, was " + eventsPerSecond);
                }
                perCardDay = eventsPerSecond * 86_400.0 / Math.max(cards, 1);
            }
            return new SynthConfig(seed, cards, start, duration, perCardDay, merchants, scenario, onset,
                    amountShiftSigmas, nullSpikeRate, newCountryShare, fraudRateMultiplier, labelDelayMedian,
                    labelDelaySigma, missingLabelFraction);
        }
    }
}
