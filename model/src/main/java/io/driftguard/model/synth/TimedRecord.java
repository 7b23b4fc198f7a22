package io.driftguard.model.synth;

import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import java.time.Instant;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * A record as it should be published: at {@code timestamp}, keyed by the card id. Transactions are stamped with
 * their eventTime, labels with their labelTime, so a producer loop can pace them on these timestamps.
 *
 * @param timestamp record timestamp (Transaction.eventTime or Label.labelTime)
 * @param key Kafka key: the card id (entity id)
 * @param value a {@link Transaction} or a {@link Label}
 */
public record TimedRecord(Instant timestamp, String key, SpecificRecord value) {
    public TimedRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (!(value instanceof Transaction) && !(value instanceof Label)) {
            throw new IllegalArgumentException("value must be a Transaction or a Label, was "
                    + value.getClass().getName());
        }
    }

    static TimedRecord of(final Transaction transaction) {
        return new TimedRecord(transaction.getEventTime(), transaction.getCardId(), transaction);
    }

    static TimedRecord of(final Label label) {
        return new TimedRecord(label.getLabelTime(), label.getEntityId(), label);
    }

    public boolean isLabel() {
        return value instanceof Label;
    }

    public boolean isTransaction() {
        return value instanceof Transaction;
    }
}
