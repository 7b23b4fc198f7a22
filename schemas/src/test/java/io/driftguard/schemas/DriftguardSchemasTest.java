package io.driftguard.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import org.junit.jupiter.api.Test;

class DriftguardSchemasTest {

  @Test
  void shouldMapEveryDefaultTopicToItsRecordWhenListed() {
    assertThat(DriftguardSchemas.defaultTopics()).extracting(DriftguardSchemas.TopicSchema::topic)
        .containsExactly("events", "labels", "features", "predictions", "predictions-shadow", "alerts",
            "model-control", "dead-letters");
    assertThat(DriftguardSchemas.valueSchemaOf("events")).isEqualTo(Transaction.getClassSchema());
    assertThat(DriftguardSchemas.valueSchemaOf("predictions-shadow")).isEqualTo(Prediction.getClassSchema());
    assertThat(DriftguardSchemas.defaultTopics().get(0).valueSubject()).isEqualTo("events-value");
  }

  @Test
  void shouldNameTopicWhenItIsNotADefault() {
    assertThatThrownBy(() -> DriftguardSchemas.valueSchemaOf("clicks"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'clicks'");
  }
}
