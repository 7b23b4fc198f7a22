package io.driftguard.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {
  static final Schema V1 = parse("""
      {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"id","type":"string"}]}""");
  static final Schema V2 = parse("""
      {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"id","type":"string"},
        {"name":"size","type":"int","default":0}]}""");
  static final Schema V3_INCOMPATIBLE = parse("""
      {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"id","type":"string"},
        {"name":"weight","type":"double"}]}""");

  private InMemorySchemaRegistryClient registry;

  static Schema parse(final String json) {
    return new Schema.Parser().parse(json);
  }

  @BeforeEach
  void setUp() {
    registry = new InMemorySchemaRegistryClient();
  }

  @Test
  void shouldReturnSameIdWhenSameSchemaIsRegisteredTwice() {
    // When
    final int first = registry.register("things-value", V1);
    final int second = registry.register("things-value", parse(V1.toString()));

    // Then
    assertThat(second).isEqualTo(first);
    assertThat(registry.versions("things-value")).containsExactly(1);
  }

  @Test
  void shouldShareIdAcrossSubjectsWhenSchemaIsIdentical() {
    // When
    final int a = registry.register("a-value", V1);
    final int b = registry.register("b-value", V1);
    final int c = registry.register("a-value", V2);

    // Then: ids are global: same schema same id, a new schema the next id
    assertThat(b).isEqualTo(a);
    assertThat(c).isEqualTo(a + 1);
    assertThat(registry.getLatest("a-value")).isEqualTo(new RegisteredSchema("a-value", 2, c, V2));
    assertThat(registry.getVersion("a-value", 1).schema()).isEqualTo(V1);
    assertThat(registry.getById(c)).isEqualTo(V2);
    assertThat(registry.subjects()).containsExactly("a-value", "b-value");
  }

  @Test
  void shouldRefuseWith409WhenSchemaIsNotBackwardCompatible() {
    // Given
    registry.register("things-value", V1);

    // When / Then
    assertThat(registry.isCompatible("things-value", V3_INCOMPATIBLE)).isFalse();
    assertThatThrownBy(() -> registry.register("things-value", V3_INCOMPATIBLE))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.isIncompatible()).isTrue();
        })
        .hasMessageContaining("things-value")
        .hasMessageContaining("weight");
    assertThat(registry.versions("things-value")).containsExactly(1);
  }

  @Test
  void shouldAcceptIncompatibleSchemaWhenSubjectLevelIsNone() {
    // Given
    registry.register("things-value", V1);
    registry.setCompatibility("things-value", "none");

    // When
    final int id = registry.register("things-value", V3_INCOMPATIBLE);

    // Then
    assertThat(registry.getLatest("things-value").id()).isEqualTo(id);
    assertThat(registry.getCompatibility("things-value")).isEqualTo("NONE");
    assertThat(registry.getCompatibility(null)).isEqualTo("BACKWARD");
  }

  @Test
  void shouldRaiseConfluentCodesWhenThingsAreMissing() {
    // Given
    registry.register("things-value", V1);

    // When / Then
    assertThatThrownBy(() -> registry.getLatest("nope"))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isSubjectNotFound()).isTrue());
    assertThatThrownBy(() -> registry.getVersion("things-value", 9))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isVersionNotFound()).isTrue());
    assertThatThrownBy(() -> registry.getById(99))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isSchemaNotFound()).isTrue());
    assertThatThrownBy(() -> registry.getId("things-value", V2))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    assertThatThrownBy(() -> registry.setCompatibility(null, "SIDEWAYS"))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42203))
        .hasMessageContaining("SIDEWAYS");
  }

  @Test
  void shouldForgetSubjectWhenDeleted() {
    // Given
    registry.register("things-value", V1);
    registry.register("things-value", V2);

    // When
    final var deleted = registry.deleteSubject("things-value");

    // Then
    assertThat(deleted).containsExactly(1, 2);
    assertThat(registry.subjects()).isEmpty();
    assertThat(registry.isCompatible("things-value", V3_INCOMPATIBLE)).isTrue();
  }
}
