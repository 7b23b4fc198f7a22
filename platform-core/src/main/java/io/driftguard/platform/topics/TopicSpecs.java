package io.driftguard.platform.topics;

import io.driftguard.avro.Alert;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Label;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Typed handles for every driftguard topic, built once per app from config and one registry client. Keys are entity
 * ids (String) except dead-letters, keyed by the original key bytes. Events are producers' records, read generically.
 */
public record TopicSpecs(
    TopicSpec<String, GenericRecord> events,
    TopicSpec<String, Label> labels,
    TopicSpec<String, FeatureVector> features,
    TopicSpec<String, Prediction> predictions,
    TopicSpec<String, Prediction> predictionsShadow,
    TopicSpec<String, Alert> alerts,
    TopicSpec<String, ModelCommand> modelControl,
    TopicSpec<byte[], DeadLetter> deadLetters) {

    public static TopicSpecs create(final TopicSettings topics, final SchemaRegistryClient registry) {
        return new TopicSpecs(
            new TopicSpec<>(topics.events(), Serdes.String(), AvroSerdes.generic(registry, false)),
            new TopicSpec<>(topics.labels(), Serdes.String(), AvroSerdes.specific(Label.class, registry, false)),
            new TopicSpec<>(topics.features(), Serdes.String(),
                AvroSerdes.specific(FeatureVector.class, registry, false)),
            new TopicSpec<>(topics.predictions(), Serdes.String(),
                AvroSerdes.specific(Prediction.class, registry, false)),
            new TopicSpec<>(topics.predictionsShadow(), Serdes.String(),
                AvroSerdes.specific(Prediction.class, registry, false)),
            new TopicSpec<>(topics.alerts(), Serdes.String(), AvroSerdes.specific(Alert.class, registry, false)),
            new TopicSpec<>(topics.modelControl(), Serdes.String(),
                AvroSerdes.specific(ModelCommand.class, registry, false)),
            new TopicSpec<>(topics.deadLetters(), Serdes.ByteArray(),
                AvroSerdes.specific(DeadLetter.class, registry, false)));
    }
}
