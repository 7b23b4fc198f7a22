package io.driftguard.schemas;

import io.driftguard.avro.Alert;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Label;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/** driftguard's own record schemas and the default topics that carry them (value subjects: {@code <topic>-value}). */
public final class DriftguardSchemas {

  /** One default topic and the schema of its values. */
  public record TopicSchema(String topic, Schema valueSchema) {
    public TopicSchema {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(valueSchema, "valueSchema");
    }

    /** The TopicNameStrategy value subject, {@code <topic>-value}. */
    public String valueSubject() {
      return topic + "-value";
    }
  }

  private static final List<TopicSchema> DEFAULTS = List.of(
      new TopicSchema("events", Transaction.getClassSchema()),
      new TopicSchema("labels", Label.getClassSchema()),
      new TopicSchema("features", FeatureVector.getClassSchema()),
      new TopicSchema("predictions", Prediction.getClassSchema()),
      new TopicSchema("predictions-shadow", Prediction.getClassSchema()),
      new TopicSchema("alerts", Alert.getClassSchema()),
      new TopicSchema("model-control", ModelCommand.getClassSchema()),
      new TopicSchema("dead-letters", DeadLetter.getClassSchema()));

  private DriftguardSchemas() {
  }

  /** Every default topic with its value schema, in pipeline order. */
  public static List<TopicSchema> defaultTopics() {
    return DEFAULTS;
  }

  /** The value schema of a default topic; throws naming the topic if it is not one of driftguard's. */
  public static Schema valueSchemaOf(final String topic) {
    return DEFAULTS.stream().filter(t -> t.topic().equals(topic)).findFirst()
        .map(TopicSchema::valueSchema)
        .orElseThrow(() -> new IllegalArgumentException("'" + topic + "' is not a default driftguard topic; known: "
            + DEFAULTS.stream().map(TopicSchema::topic).toList()));
  }
}
