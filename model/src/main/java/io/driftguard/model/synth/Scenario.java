package io.driftguard.model.synth;

/** Drift injected by the synthetic generator from a configured onset instant. */
public enum Scenario {
    /** No drift: the whole period follows the reference process. */
    NONE,
    /** Log-amounts shift up by {@code amountShiftSigmas} times the card's log-amount sigma. */
    AMOUNT_SHIFT,
    /** A share of transactions carry country codes never generated before the onset. */
    NEW_COUNTRIES,
    /** deviceId goes missing on ONLINE/MOBILE payments, where it is otherwise always present. */
    NULL_SPIKE,
    /** The hidden fraud process runs {@code fraudRateMultiplier} times as often. */
    LABEL_RATE_CHANGE,
    /** No label arrives with a label time at or after the onset. */
    LABEL_OUTAGE
}
