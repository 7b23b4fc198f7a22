package io.driftguard.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import io.driftguard.embedded.EmbeddedKafkaBroker;
import io.driftguard.embedded.EmbeddedSchemaRegistry;
import io.driftguard.features.FeatureApp;
import io.driftguard.platform.app.SchemaRegistries;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.LoadedConfig;
import io.driftguard.platform.config.SchemaRegistrySettings;
import io.driftguard.reliability.poison.Pipeline;
import io.driftguard.reliability.poison.Wire;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryException;
import io.driftguard.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka SASL/SCRAM and registry basic auth reach the apps through config alone: a broker with a second
 * SASL_PLAINTEXT listener (SCRAM-SHA-256, a user created with {@code Admin.alterUserScramCredentials}) and a
 * registry that requires basic auth; feature-stream configured only by YAML plus {@code DRIFTGUARD_*} and
 * {@code KAFKA_*} environment variables processes events over that listener, and a wrong password fails clearly.
 */
class ScramAndRegistryAuthTest {
  private static final String USER = "driftguard-app";
  private static final String PASSWORD = "app-secret-0123";
  private static final String REGISTRY_AUTH = "registry-user:registry-secret";
  private static final String PREFIX = "scram-";

  private static EmbeddedKafkaBroker broker;
  private static EmbeddedSchemaRegistry registry;
  @TempDir
  static Path dir;

  @BeforeAll
  static void startSecuredStack() throws Exception {
    broker = EmbeddedKafkaBroker.startWithScramListener(null, 0, 0, Map.of());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), PASSWORD))).all().get();
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
          admin.describeUserScramCredentials(List.of(USER)).all().get().containsKey(USER));
      admin.createTopics(List.of(new NewTopic(PREFIX + "events", 2, (short) 1),
          new NewTopic(PREFIX + "features", 2, (short) 1), new NewTopic(PREFIX + "dead-letters", 2, (short) 1)))
          .all().get();
    }
    registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.Config.of(broker.bootstrapServers(), 0)
        .withBasicAuth(REGISTRY_AUTH));
  }

  @AfterAll
  static void stopSecuredStack() {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static Map<String, Object> saslClient(final String password) {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.saslBootstrapServers(),
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
        SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-256",
        SaslConfigs.SASL_JAAS_CONFIG, jaas(password));
  }

  private static String jaas(final String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
        + "\" password=\"" + password + "\";";
  }

  /** The app's whole config: YAML without any connection detail, and the environment. */
  private static LoadedConfig appConfig(final String appId, final String kafkaPassword) {
    final Map<String, String> env = new HashMap<>();
    env.put("DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", broker.saslBootstrapServers());
    env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-256");
    env.put("KAFKA_SASL_JAAS_CONFIG", jaas(kafkaPassword));
    env.put("DRIFTGUARD_SCHEMA_REGISTRY_URL", registry.url());
    env.put("DRIFTGUARD_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", REGISTRY_AUTH);
    env.put("DRIFTGUARD_STREAMS_STATE_DIR", dir.resolve(appId).toString());
    return FeatureApp.configLoader(env).loadYaml("""
        applicationId: %s
        instanceId: it-1
        streams: {commitInterval: 200ms, shutdownTimeout: 10s}
        topics: {events: %sevents, features: %sfeatures, deadLetters: %sdead-letters, partitions: 2}
        metrics: {host: 127.0.0.1, port: 0}
        """.formatted(appId, PREFIX, PREFIX, PREFIX), "scram test config");
  }

  @Test
  void shouldProcessEventsOverScramWhenCredentialsComeOnlyFromConfig() throws Exception {
    // Given feature-stream configured only through config for the SCRAM listener and the protected registry
    final LoadedConfig config = appConfig(PREFIX + "features", PASSWORD);
    assertThat(config.common().kafka().toString()).doesNotContain(PASSWORD);
    final SchemaRegistryClient schemas = SchemaRegistries.client(
        new SchemaRegistrySettings(registry.url(), REGISTRY_AUTH, null));
    try (StreamsApp app = FeatureApp.create(config.common(), Pipeline.FEATURES);
        Wire wire = Wire.of(saslClient(PASSWORD), schemas)) {
      app.start();

      // When a producer on the same listener publishes events
      final Instant start = Instant.now().minus(Duration.ofMinutes(5));
      final List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        final Transaction t = Pipeline.txn("s-" + i, "s-card-" + (i % 3), start.plusSeconds(i), 20);
        wire.send(PREFIX + "events", t.getCardId(), wire.transaction(PREFIX + "events", t),
            t.getEventTime().toEpochMilli());
        ids.add(t.getEventId());
      }

      // Then every event has a feature vector, read back over SCRAM too
      final Deserializer<FeatureVector> vectors = AvroSerdes.specific(FeatureVector.class, schemas, false)
          .deserializer();
      final Set<String> got = Pipeline.readUntil(broker.saslBootstrapServers(), PREFIX + "features",
          records -> records.size() >= ids.size(), Duration.ofMinutes(2), saslClient(PASSWORD)).stream()
          .map(r -> vectors.deserialize("x", r.value()).getEventId()).collect(Collectors.toSet());
      assertThat(got).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  @Test
  void shouldStopWithAnAuthenticationErrorWhenThePasswordIsWrong() throws Exception {
    // Given feature-stream configured with a wrong SCRAM password
    try (StreamsApp app = FeatureApp.create(appConfig(PREFIX + "features-wrong", "not-the-password").common(),
        Pipeline.FEATURES)) {
      // When it starts
      app.start();

      // Then Streams does not run: it ends in ERROR instead of retrying forever
      final KafkaStreams.State end = app.awaitTermination(Duration.ofSeconds(90));
      assertThat(end).isEqualTo(KafkaStreams.State.ERROR);
    }
  }

  @Test
  void shouldRefuseRegistryCallsWhenBasicAuthIsMissingOrWrong() {
    // Given clients without credentials and with a wrong password
    final SchemaRegistryClient none = SchemaRegistries.client(new SchemaRegistrySettings(registry.url(), null, null));
    final SchemaRegistryClient wrong = SchemaRegistries.client(new SchemaRegistrySettings(registry.url(),
        "registry-user:nope", null));

    // When they register a schema, Then the registry answers 401 and nothing is registered
    for (final SchemaRegistryClient client : List.of(none, wrong)) {
      final SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
          () -> client.register(PREFIX + "probe-value", Transaction.getClassSchema()));
      assertThat(e).isNotNull();
      assertThat(e.httpStatus()).isEqualTo(401);
    }
    final SchemaRegistryClient right = SchemaRegistries.client(new SchemaRegistrySettings(registry.url(),
        REGISTRY_AUTH, null));
    assertThat(right.subjects()).doesNotContain(PREFIX + "probe-value");
  }
}
