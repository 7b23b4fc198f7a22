package io.driftguard.model.synth;

import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One generated payment with its label, if that label ever arrives, and the hidden ground truth.
 *
 * @param transaction the payment
 * @param label the delayed label; empty when it never arrives (missing fraction or label outage)
 * @param fraud ground truth of the hidden fraud process, known even when the label is missing
 * @param fraudBurst true when the payment was made by the hidden fraudster burst (velocity pattern)
 */
public record SyntheticRecord(Transaction transaction, Optional<Label> label, boolean fraud, boolean fraudBurst) {
    public SyntheticRecord {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(label, "label");
    }

    public Instant eventTime() {
        return transaction.getEventTime();
    }
}
