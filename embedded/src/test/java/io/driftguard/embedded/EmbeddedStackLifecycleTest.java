package io.driftguard.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts its own stacks: restart with the same data dir, and busy ports. */
class EmbeddedStackLifecycleTest {
  private static final Schema A = new Schema.Parser().parse("""
      {"type":"record","name":"A","namespace":"life","fields":[{"name":"x","type":"long"}]}""");
  private static final Schema A2 = new Schema.Parser().parse("""
      {"type":"record","name":"A","namespace":"life","fields":[{"name":"x","type":"long"},
        {"name":"y","type":["null","string"],"default":null}]}""");
  private static final Schema B = new Schema.Parser().parse("""
      {"type":"record","name":"B","namespace":"life","fields":[{"name":"s","type":"string"}]}""");

  @Test
  void shouldKeepIdsVersionsAndConfigWhenRestartedOnSameDataDir(@TempDir final Path dataDir) {
    // Given: schemas and a subject level registered on a first run
    final int idA;
    final int idA2;
    final int idB;
    try (EmbeddedStack first = EmbeddedStack.start(EmbeddedStack.Options.defaults().withDataDir(dataDir))) {
      final SchemaRegistryClient client = first.registryClient();
      idA = client.register("life-a-value", A);
      idA2 = client.register("life-a-value", A2);
      idB = client.register("life-b-value", B);
      client.setCompatibility("life-b-value", "NONE");
      first.createTopics(3, "life-topic");
    }

    // When: a second run on the same data dir
    try (EmbeddedStack second = EmbeddedStack.start(EmbeddedStack.Options.defaults().withDataDir(dataDir))) {
      final SchemaRegistryClient client = second.registryClient();

      // Then: the same ids and versions, the config, the topic; a new schema gets the next id
      assertThat(client.getById(idA)).isEqualTo(A);
      assertThat(client.getById(idB)).isEqualTo(B);
      assertThat(client.getVersion("life-a-value", 2).id()).isEqualTo(idA2);
      assertThat(client.register("life-a-value", A2)).isEqualTo(idA2);
      assertThat(client.subjects()).containsExactly("life-a-value", "life-b-value");
      assertThat(client.getCompatibility("life-b-value")).isEqualTo("NONE");
      final Schema c = new Schema.Parser().parse("""
          {"type":"record","name":"C","namespace":"life","fields":[{"name":"z","type":"int"}]}""");
      assertThat(client.register("life-c-value", c)).isEqualTo(Math.max(idA2, idB) + 1);
      try (var admin = second.admin()) {
        assertThat(admin.describeTopics(java.util.List.of("life-topic")).allTopicNames().get()
            .get("life-topic").partitions()).hasSize(3);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void shouldNameThePortWhenRegistryPortIsAlreadyInUse() throws IOException {
    // Given: a port held by someone else
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      final int port = taken.getLocalPort();

      // When / Then: fails before starting anything
      assertThatThrownBy(() -> EmbeddedStack.start(EmbeddedStack.Options.defaults().withPorts(0, port)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Schema registry port " + port + " is already in use");
      assertThatThrownBy(() -> EmbeddedStack.start(EmbeddedStack.Options.defaults().withPorts(port, 0)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Kafka broker port " + port + " is already in use");
    }
  }

  @Test
  void shouldRefuseBadOptionsWhenPortsAreOutOfRange() {
    assertThatThrownBy(() -> new EmbeddedStack.Options(null, 70000, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("brokerPort").hasMessageContaining("70000");
    assertThatThrownBy(() -> new EmbeddedStack.Options(null, 9092, 9092))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9092");
  }
}
