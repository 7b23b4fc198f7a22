package io.driftguard.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Channel;
import io.driftguard.avro.Transaction;
import io.driftguard.schemas.registry.InMemorySchemaRegistryClient;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private static final String TOPIC = "events";
  private static final Instant T0 = Instant.parse("2026-11-28T10:15:30.123Z");
  private static final Schema SMALL = new Schema.Parser().parse("""
      {"type":"record","name":"Small","namespace":"t","fields":[
        {"name":"name","type":"string"},{"name":"n","type":"int"}]}""");
  private static final Schema SMALL_V2 = new Schema.Parser().parse("""
      {"type":"record","name":"Small","namespace":"t","fields":[
        {"name":"name","type":"string"},{"name":"n","type":"int"},
        {"name":"note","type":"string","default":"none"}]}""");
  private static final Schema OTHER_A = new Schema.Parser().parse("""
      {"type":"record","name":"A","namespace":"t","fields":[{"name":"x","type":"long"}]}""");
  private static final Schema OTHER_B = new Schema.Parser().parse("""
      {"type":"record","name":"B","namespace":"t","fields":[{"name":"y","type":"long"}]}""");

  private InMemorySchemaRegistryClient registry;

  @BeforeEach
  void setUp() {
    registry = new InMemorySchemaRegistryClient();
  }

  static Transaction txn(final String cardId, final double amount, final Instant eventTime) {
    return Transaction.newBuilder()
        .setEventId("evt-" + cardId + "-" + eventTime.toEpochMilli())
        .setCardId(cardId)
        .setEventTime(eventTime)
        .setAmount(amount)
        .setCurrency("EUR")
        .setMerchantId("m-1")
        .setMerchantCategory("grocery")
        .setCountry("DE")
        .setChannel(Channel.POS)
        .setDeviceId(null)
        .setCustomerEmail("someone@example.com")
        .build();
  }

  private static GenericRecord small(final String name, final int n) {
    final GenericRecord record = new GenericData.Record(SMALL);
    record.put("name", name);
    record.put("n", n);
    return record;
  }

  @Test
  void shouldDecodeHandBuiltPayloadWhenBytesAreMagicIdAndAvroBinary() {
    // Given: SMALL registered as id 3, and the payload built by hand: 00 | 00 00 00 03 | "abc" | 42
    registry.register("a-value", OTHER_A);
    registry.register("b-value", OTHER_B);
    final int id = registry.register(TOPIC + "-value", SMALL);
    final byte[] payload = {0x00, 0x00, 0x00, 0x00, 0x03, 0x06, 'a', 'b', 'c', 0x54};
    final Serde<GenericRecord> serde = AvroSerdes.generic(registry, false);

    // When
    final GenericRecord decoded = serde.deserializer().deserialize(TOPIC, payload);

    // Then
    assertThat(id).isEqualTo(3);
    assertThat(decoded.get("name").toString()).isEqualTo("abc");
    assertThat(decoded.get("n")).isEqualTo(42);
  }

  @Test
  void shouldWriteMagicByteBigEndianIdAndAvroBinaryWhenSerializing() {
    // Given: two other schemas registered first, so SMALL gets id 3
    registry.register("a-value", OTHER_A);
    registry.register("b-value", OTHER_B);
    final Serde<GenericRecord> serde = AvroSerdes.generic(registry, false);

    // When
    final byte[] bytes = serde.serializer().serialize(TOPIC, small("abc", 42));

    // Then
    assertThat(bytes).containsExactly(0x00, 0x00, 0x00, 0x00, 0x03, 0x06, 'a', 'b', 'c', 0x54);
    assertThat(registry.getLatest(TOPIC + "-value").id()).isEqualTo(3);
  }

  @Test
  void shouldWriteIdBigEndianWhenIdNeedsSeveralBytes() {
    // Given: 300 schemas registered, so the next one gets id 301 = 0x012D
    for (int i = 0; i < 300; i++) {
      registry.register("s" + i + "-value", Schema.createFixed("F" + i, null, "t", 1));
    }
    final Serde<GenericRecord> serde = AvroSerdes.generic(registry, false);

    // When
    final byte[] bytes = serde.serializer().serialize(TOPIC, small("", 0));

    // Then
    assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0x00, 0x00, 0x00, 0x01, 0x2D);
  }

  @Test
  void shouldRoundTripTransactionWhenUsingSpecificSerde() {
    // Given
    final Serde<Transaction> serde = AvroSerdes.specific(Transaction.class, registry, false);
    final Transaction original = txn("card-1", 42.5, T0);

    // When
    final byte[] bytes = serde.serializer().serialize(TOPIC, original);
    final Transaction decoded = serde.deserializer().deserialize(TOPIC, bytes);

    // Then
    assertThat(decoded).isEqualTo(original);
    assertThat(decoded.getEventTime()).isEqualTo(T0);
    assertThat(registry.subjects()).containsExactly("events-value");
  }

  @Test
  void shouldUseKeySubjectWhenSerdeIsForKeys() {
    // Given
    final Serde<GenericRecord> serde = AvroSerdes.generic(registry, true);

    // When
    serde.serializer().serialize("labels", small("k", 1));

    // Then
    assertThat(registry.subjects()).containsExactly("labels-key");
  }

  @Test
  void shouldReadOldDataWithNewReaderSchemaWhenFieldWasAddedWithDefault() {
    // Given: data written with v1
    final byte[] v1Bytes = AvroSerdes.generic(registry, false).serializer().serialize(TOPIC, small("old", 7));
    final Serde<GenericRecord> v2Reader = AvroSerdes.generic(registry, false, SMALL_V2, AvroSerdeConfig.defaults());

    // When
    final GenericRecord decoded = v2Reader.deserializer().deserialize(TOPIC, v1Bytes);

    // Then
    assertThat(decoded.getSchema()).isEqualTo(SMALL_V2);
    assertThat(decoded.get("name").toString()).isEqualTo("old");
    assertThat(decoded.get("note").toString()).isEqualTo("none");
  }

  @Test
  void shouldReadWithLatestSchemaWhenUseLatestVersionIsSet() {
    // Given: v1 data, then v2 registered as the latest version
    final byte[] v1Bytes = AvroSerdes.generic(registry, false).serializer().serialize(TOPIC, small("old", 7));
    registry.register(TOPIC + "-value", SMALL_V2);
    final Serde<GenericRecord> latestReader =
        AvroSerdes.generic(registry, false, null, AvroSerdeConfig.defaults().withUseLatestVersion(true));

    // When
    final GenericRecord decoded = latestReader.deserializer().deserialize(TOPIC, v1Bytes);

    // Then
    assertThat(decoded.get("note").toString()).isEqualTo("none");
  }

  @Test
  void shouldWriteWithLatestSchemaIdWhenAutoRegisterIsOffAndUseLatestVersionIsOn() {
    // Given: v2 is the latest; the producer still has v1 records
    registry.register(TOPIC + "-value", SMALL);
    final int v2Id = registry.register(TOPIC + "-value", SMALL_V2);
    final AvroSerdeConfig config = AvroSerdeConfig.defaults().withAutoRegister(false).withUseLatestVersion(true);
    final Serde<GenericRecord> serde = AvroSerdes.generic(registry, false, null, config);

    // When
    final byte[] bytes = serde.serializer().serialize(TOPIC, small("x", 1));
    final GenericRecord decoded = AvroSerdes.generic(registry, false).deserializer().deserialize(TOPIC, bytes);

    // Then
    assertThat(WireFormat.readId(bytes)).isEqualTo(v2Id);
    assertThat(decoded.getSchema()).isEqualTo(SMALL_V2);
    assertThat(decoded.get("note").toString()).isEqualTo("none");
  }

  @Test
  void shouldFailNamingSubjectWhenAutoRegisterIsOffAndSchemaIsUnknown() {
    // Given
    final Serde<GenericRecord> serde =
        AvroSerdes.generic(registry, false, null, AvroSerdeConfig.defaults().withAutoRegister(false));

    // When / Then
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, small("x", 1)))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.REGISTRY_ERROR))
        .hasMessageContaining("topic 'events'")
        .hasMessageContaining("subject 'events-value'")
        .hasMessageContaining("look up");
  }

  @Test
  void shouldFailNamingFieldWhenRecordBreaksItsSchema() {
    // Given: a required string left null
    final GenericRecord bad = new GenericData.Record(SMALL);
    bad.put("n", 1);
    final Serde<GenericRecord> serde = AvroSerdes.generic(registry, false);

    // When / Then
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, bad))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.INVALID_RECORD))
        .hasMessageContaining("topic 'events'")
        .hasMessageContaining("name");
  }

  @Test
  void shouldNotEchoTheValueWhenItMatchesNoUnionBranch() {
    // Given: a Transaction whose nullable-string PII field holds a non-string
    final Schema schema = Transaction.getClassSchema();
    final GenericRecord bad = new GenericData.Record(schema);
    bad.put("eventId", "e");
    bad.put("cardId", "c");
    bad.put("eventTime", 1L);
    bad.put("amount", 1.0);
    bad.put("currency", "EUR");
    bad.put("merchantId", "m");
    bad.put("merchantCategory", "g");
    bad.put("country", "DE");
    bad.put("channel", new GenericData.EnumSymbol(schema.getField("channel").schema(), "POS"));
    bad.put("customerEmail", 4_711_000_123L);
    final Serde<GenericRecord> serde = AvroSerdes.generic(registry, false);

    // When / Then
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, bad))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.INVALID_RECORD))
        .hasMessageContaining("union")
        .hasMessageNotContaining("4711000123")
        .hasNoCause();

    // And a value of a type Avro does not know at all
    bad.put("customerEmail", new StringBuilder("secret@example.com").toString().toCharArray());
    bad.put("deviceId", java.util.Optional.of("secret@example.com"));
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, bad))
        .isInstanceOf(AvroSerdeException.class)
        .hasMessageNotContaining("secret")
        .hasNoCause();
  }

  @Test
  void shouldReturnNullWhenPayloadIsNullTombstone() {
    // Given
    final Serde<GenericRecord> serde = AvroSerdes.generic(registry, false);

    // When / Then
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
  }

  @Test
  void shouldFailWhenMagicByteIsWrong() {
    final int id = registry.register(TOPIC + "-value", SMALL);
    final byte[] payload = {0x01, 0, 0, 0, (byte) id, 0x06, 'a', 'b', 'c', 0x54};
    assertThatThrownBy(() -> AvroSerdes.generic(registry, false).deserializer().deserialize(TOPIC, payload))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.UNKNOWN_MAGIC_BYTE))
        .hasMessageContaining("topic 'events'")
        .hasMessageContaining("unknown magic byte 0x01");
  }

  @Test
  void shouldFailWhenSchemaIdIsUnknown() {
    final byte[] payload = {0x00, 0, 0, 0x30, 0x39, 0x06, 'a', 'b', 'c', 0x54};
    assertThatThrownBy(() -> AvroSerdes.generic(registry, false).deserializer().deserialize(TOPIC, payload))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.UNKNOWN_SCHEMA_ID))
        .hasMessageContaining("topic 'events'")
        .hasMessageContaining("unknown schema id 12345");
  }

  @Test
  void shouldFailWhenPayloadIsEmpty() {
    assertThatThrownBy(() -> AvroSerdes.generic(registry, false).deserializer().deserialize(TOPIC, new byte[0]))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.EMPTY_PAYLOAD))
        .hasMessageContaining("topic 'events'")
        .hasMessageContaining("empty payload");
  }

  @Test
  void shouldFailWhenHeaderIsTruncated() {
    assertThatThrownBy(() -> AvroSerdes.generic(registry, false).deserializer()
        .deserialize(TOPIC, new byte[] {0x00, 0x00, 0x01}))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.TRUNCATED_HEADER))
        .hasMessageContaining("topic 'events'")
        .hasMessageContaining("truncated payload of 3 bytes");
  }

  @Test
  void shouldFailWhenAvroBodyIsTruncated() {
    // Given: a valid payload cut in the middle of the string
    final byte[] full = AvroSerdes.generic(registry, false).serializer().serialize(TOPIC, small("abcdef", 1));
    final byte[] cut = Arrays.copyOf(full, 8);

    // When / Then
    assertThatThrownBy(() -> AvroSerdes.generic(registry, false).deserializer().deserialize(TOPIC, cut))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.MALFORMED_BYTES))
        .hasMessageContaining("topic 'events'")
        .hasMessageContaining("cannot decode")
        .hasMessageContaining("Truncated");
  }

  @Test
  void shouldFailWhenBytesFollowTheRecord() {
    final byte[] full = AvroSerdes.generic(registry, false).serializer().serialize(TOPIC, small("abc", 1));
    final byte[] longer = Arrays.copyOf(full, full.length + 2);
    assertThatThrownBy(() -> AvroSerdes.generic(registry, false).deserializer().deserialize(TOPIC, longer))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.MALFORMED_BYTES))
        .hasMessageContaining("topic 'events'")
        .hasMessageContaining("2 bytes left over");
  }

  @Test
  void shouldFailWithSerializationExceptionWhenBodyIsRandomBytes() {
    // Given: a valid header for Transaction followed by random bytes, many times
    final int id = registry.register(TOPIC + "-value", Transaction.getClassSchema());
    final Serde<Transaction> serde = AvroSerdes.specific(Transaction.class, registry, false);
    final Random random = new Random(42);
    int failures = 0;

    // When
    for (int i = 0; i < 500; i++) {
      final byte[] payload = new byte[5 + random.nextInt(200)];
      random.nextBytes(payload);
      payload[0] = 0;
      payload[1] = 0;
      payload[2] = 0;
      payload[3] = 0;
      payload[4] = (byte) id;
      try {
        serde.deserializer().deserialize(TOPIC, payload);
      } catch (AvroSerdeException e) {
        assertThat(e).hasMessageContaining("topic 'events'");
        assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.MALFORMED_BYTES);
        assertThat(e.problem().recordFault()).isTrue();
        assertThat(e).isInstanceOf(SerializationException.class);
        failures++;
      }
    }

    // Then: random bytes never decode cleanly into a Transaction with nothing left over
    assertThat(failures).isEqualTo(500);
  }

  @Test
  void shouldFailWhenPayloadIsEntirelyRandom() {
    final Random random = new Random(7);
    final byte[] payload = new byte[64];
    random.nextBytes(payload);
    payload[0] = (byte) 0x9c;
    assertThatThrownBy(() -> AvroSerdes.generic(registry, false).deserializer().deserialize(TOPIC, payload))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.UNKNOWN_MAGIC_BYTE))
        .hasMessageContaining("topic 'events'")
        .hasMessageContaining("magic byte 0x9c");
  }

  @Test
  void shouldFailWhenWriterSchemaCannotBeResolvedToReaderSchema() {
    // Given: data written with SMALL, read with a schema that needs a field without default
    final Schema needsField = new Schema.Parser().parse("""
        {"type":"record","name":"Small","namespace":"t","fields":[
          {"name":"name","type":"string"},{"name":"required","type":"long"}]}""");
    final byte[] bytes = AvroSerdes.generic(registry, false).serializer().serialize(TOPIC, small("a", 1));
    final Serde<GenericRecord> reader = AvroSerdes.generic(registry, false, needsField, AvroSerdeConfig.defaults());

    // When / Then
    assertThatThrownBy(() -> reader.deserializer().deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.SCHEMA_RESOLUTION))
        .hasMessageContaining("topic 'events'")
        .hasMessageContaining("required");
  }

  @Test
  void shouldFailWhenSpecificClassIsMissingForWriterSchema() {
    // Given: a specific reader without a configured type, and a writer schema with no generated class
    final byte[] bytes = AvroSerdes.generic(registry, false).serializer().serialize(TOPIC, small("a", 1));
    final AvroDeserializer<Object> specific = new AvroDeserializer<>(registry,
        new AvroSerdeConfig(true, false, true, SubjectNameStrategy.TOPIC_NAME, null), false, null);

    // When / Then
    assertThatThrownBy(() -> specific.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.problem()).isEqualTo(AvroSerdeException.Problem.CONFIGURATION))
        .hasMessageContaining("no SpecificRecord class t.Small");
  }

  @Test
  void shouldWorkWhenConfiguredByClassNameWithConfluentPropertyNames() {
    // Given
    final String scope = "avro-serde-test-" + System.nanoTime();
    final Map<String, Object> props = new HashMap<>();
    props.put("schema.registry.url", "mock://" + scope);
    props.put("auto.register.schemas", "true");
    props.put("value.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicNameStrategy");
    try (SpecificAvroSerde<Transaction> serde = new SpecificAvroSerde<>()) {
      serde.configure(props, false);
      final Transaction original = txn("card-9", 1.0, T0);

      // When
      final byte[] bytes = serde.serializer().serialize(TOPIC, original);
      final Transaction decoded = serde.deserializer().deserialize(TOPIC, bytes);

      // Then
      assertThat(decoded).isEqualTo(original);
      assertThat(InMemorySchemaRegistryClient.forScope(scope).subjects()).containsExactly("events-value");
    } finally {
      InMemorySchemaRegistryClient.dropScope(scope);
    }
  }

  @Test
  void shouldReadSpecificRecordAsGenericWhenUsingGenericSerdeByClassName() {
    // Given
    final String scope = "avro-generic-test-" + System.nanoTime();
    final Map<String, Object> props = Map.of("schema.registry.url", "mock://" + scope);
    final byte[] bytes = AvroSerdes.specific(Transaction.class, InMemorySchemaRegistryClient.forScope(scope), false)
        .serializer().serialize(TOPIC, txn("card-2", 3.5, T0));
    try (GenericAvroSerde serde = new GenericAvroSerde()) {
      serde.configure(props, false);

      // When
      final GenericRecord decoded = serde.deserializer().deserialize(TOPIC, bytes);

      // Then
      assertThat(decoded.get("cardId").toString()).isEqualTo("card-2");
      assertThat(decoded.get("eventTime")).isEqualTo(T0.toEpochMilli());
    } finally {
      InMemorySchemaRegistryClient.dropScope(scope);
    }
  }

  @Test
  void shouldFailNamingPropertyWhenRegistryUrlIsMissing() {
    final AvroSerializer<Object> serializer = new AvroSerializer<>();
    assertThatThrownBy(() -> serializer.configure(Map.of(), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void shouldSerializePrimitiveStringWhenKeyIsAString() {
    // Given
    final AvroSerializer<String> serializer = new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), true);

    // When
    final byte[] bytes = serializer.serialize(TOPIC, "card-1");

    // Then: header, then Avro string "card-1" (length 6 zig-zag = 0x0c)
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length))
        .containsExactly(0x0c, 'c', 'a', 'r', 'd', '-', '1');
    assertThat(registry.getLatest("events-key").schema()).isEqualTo(Schema.create(Schema.Type.STRING));
  }
}
