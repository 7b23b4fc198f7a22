package io.driftguard.platform.topics;

import io.driftguard.avro.Alert;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Label;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.platform.topics.TopicDefinition.CleanupPolicy;
import java.util.List;

/**
 * Every driftguard topic as DESIGN.md lays them out: names from config, {@code features} and {@code model-control}
 * compacted, the entity-keyed topics (events, labels, features, predictions, predictions-shadow) co-partitioned with
 * the configured partition count. {@code model-control} has one partition: it is read as a GlobalKTable and one
 * partition keeps every command in one total order for the audit trail. The events value schema is the demo's
 * {@code Transaction}.
 */
public final class TopicCatalogue {

    private TopicCatalogue() {
    }

    public static List<TopicDefinition> of(final TopicSettings topics) {
        final int partitions = topics.partitions();
        final short rf = topics.replicationFactor();
        return List.of(
            new TopicDefinition(topics.events(), partitions, rf, CleanupPolicy.DELETE, true,
                Transaction.getClassSchema()),
            new TopicDefinition(topics.labels(), partitions, rf, CleanupPolicy.DELETE, true, Label.getClassSchema()),
            new TopicDefinition(topics.features(), partitions, rf, CleanupPolicy.COMPACT, true,
                FeatureVector.getClassSchema()),
            new TopicDefinition(topics.predictions(), partitions, rf, CleanupPolicy.DELETE, true,
                Prediction.getClassSchema()),
            new TopicDefinition(topics.predictionsShadow(), partitions, rf, CleanupPolicy.DELETE, true,
                Prediction.getClassSchema()),
            new TopicDefinition(topics.alerts(), partitions, rf, CleanupPolicy.DELETE, false, Alert.getClassSchema()),
            new TopicDefinition(topics.modelControl(), 1, rf, CleanupPolicy.COMPACT, false,
                ModelCommand.getClassSchema()),
            new TopicDefinition(topics.deadLetters(), partitions, rf, CleanupPolicy.DELETE, false,
                DeadLetter.getClassSchema()));
    }
}
