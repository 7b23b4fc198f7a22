package io.driftguard.features;

import static io.driftguard.features.Txns.T0;
import static io.driftguard.features.Txns.txn;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.Transaction;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class ContractValidatorTest {
  private static final String YAML = "name: t\nentityKey: cardId\ntimestamp: eventTime\nmaxFutureSkew: 1m\n"
      + "constraints:\n  amount: {min: 0, max: 10000}\n  deviceId: {required: true}\n"
      + "  customerEmail: {allowed: [vip@example.com]}\n"
      + "features:\n  - {name: s, source: amount, aggregation: sum, window: {type: sliding, size: 1h}, freshnessSla: 1h}\n";
  private static final ContractValidator VALIDATOR =
      new ContractValidator(FeatureSet.parse(YAML, Transaction.getClassSchema()));
  private static final long NOW = T0.toEpochMilli();

  private static GenericRecord generic(final Transaction t) {
    final GenericData.Record r = new GenericData.Record(Transaction.getClassSchema());
    for (final Schema.Field f : Transaction.getClassSchema().getFields()) {
      r.put(f.name(), t.get(f.name()));
    }
    r.put("eventTime", T0.toEpochMilli());
    r.put("deviceId", "dev-1");
    r.put("customerEmail", "vip@example.com");
    return r;
  }

  private static GenericRecord valid() {
    return generic(txn("card-1", 12.5, T0));
  }

  @Test
  void shouldAcceptWhenEveryRuleHolds() {
    // When
    final Verdict v = VALIDATOR.validate(valid(), NOW);

    // Then
    assertThat(v).isEqualTo(Verdict.accepted());
  }

  @Test
  void shouldRejectAsNonFiniteWhenAmountIsNaN() {
    // Given
    final GenericRecord e = valid();
    e.put("amount", Double.NaN);

    // When
    final Verdict v = VALIDATOR.validate(e, NOW);

    // Then
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.NON_FINITE);
    assertThat(v.field()).isEqualTo("amount");
    assertThat(v.message()).contains("'amount'");
  }

  @Test
  void shouldRejectAsNonFiniteWhenAmountIsInfinite() {
    // Given
    final GenericRecord e = valid();
    e.put("amount", Double.NEGATIVE_INFINITY);

    // When / Then
    assertThat(VALIDATOR.validate(e, NOW).reasonCode()).isEqualTo(ReasonCode.NON_FINITE);
  }

  @Test
  void shouldRejectAsOutOfRangeWhenAmountIsNegative() {
    // Given
    final GenericRecord e = valid();
    e.put("amount", -0.01);

    // When
    final Verdict v = VALIDATOR.validate(e, NOW);

    // Then
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.OUT_OF_RANGE);
    assertThat(v.field()).isEqualTo("amount");
    assertThat(v.message()).isEqualTo("field 'amount' (-0.01) is below the minimum 0.0");
  }

  @Test
  void shouldRejectAsContractViolationWhenARequiredFieldIsNull() {
    // Given
    final GenericRecord e = valid();
    e.put("currency", null);

    // When
    final Verdict v = VALIDATOR.validate(e, NOW);

    // Then
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.CONTRACT_VIOLATION);
    assertThat(v.message()).isEqualTo("required field 'currency' is null");
  }

  @Test
  void shouldRejectWhenANullableFieldIsDeclaredRequiredAndNull() {
    // Given
    final GenericRecord e = valid();
    e.put("deviceId", null);

    // When / Then
    assertThat(VALIDATOR.validate(e, NOW).message()).isEqualTo("required field 'deviceId' is null");
  }

  @Test
  void shouldRejectAsContractViolationWhenAFieldHasTheWrongType() {
    // Given
    final GenericRecord e = valid();
    e.put("amount", "12.5");

    // When
    final Verdict v = VALIDATOR.validate(e, NOW);

    // Then
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.CONTRACT_VIOLATION);
    assertThat(v.message()).isEqualTo("field 'amount' holds a String, the schema declares DOUBLE");
  }

  @Test
  void shouldRejectWhenTheWriterSchemaLacksARequiredField() {
    // Given a writer that dropped 'amount'
    final Schema older = SchemaBuilder.record("Transaction").namespace("io.driftguard.avro").fields()
        .requiredString("eventId").requiredString("cardId").requiredLong("eventTime").endRecord();
    final GenericData.Record e = new GenericData.Record(older);
    e.put("eventId", "e-1");
    e.put("cardId", "card-1");
    e.put("eventTime", NOW);

    // When
    final Verdict v = VALIDATOR.validate(e, NOW);

    // Then
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.CONTRACT_VIOLATION);
    assertThat(v.message()).isEqualTo("required field 'amount' is missing");
  }

  @Test
  void shouldRejectAsFutureTimestampWhenBeyondTheSkew() {
    // Given
    final GenericRecord e = valid();
    e.put("eventTime", T0.plus(Duration.ofMinutes(1)).plusMillis(1).toEpochMilli());

    // When
    final Verdict v = VALIDATOR.validate(e, NOW);

    // Then
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.FUTURE_TIMESTAMP);
    assertThat(v.field()).isEqualTo("eventTime");
  }

  @Test
  void shouldAcceptWhenExactlyAtTheSkew() {
    // Given
    final GenericRecord e = valid();
    e.put("eventTime", T0.plus(Duration.ofMinutes(1)).toEpochMilli());

    // When / Then
    assertThat(VALIDATOR.validate(e, NOW).valid()).isTrue();
  }

  @Test
  void shouldNotShowThePiiValueWhenAPiiFieldBreaksItsConstraint() {
    // Given
    final GenericRecord e = valid();
    e.put("customerEmail", "bob@secret.example");

    // When
    final Verdict v = VALIDATOR.validate(e, NOW);

    // Then
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.OUT_OF_RANGE);
    assertThat(v.field()).isEqualTo("customerEmail");
    assertThat(v.message()).contains("customerEmail").doesNotContain("bob").doesNotContain("secret");
  }

  @Test
  void shouldAcceptASpecificRecordWhoseTimestampIsAnInstant() {
    // Given
    final Transaction t = txn("card-1", 1.0, T0);
    t.setDeviceId("dev-1");
    t.setCustomerEmail("vip@example.com");

    // When / Then
    assertThat(VALIDATOR.validate(t, NOW).valid()).isTrue();
  }

  @Test
  void shouldRejectWhenTheEntityKeyIsBlank() {
    // Given
    final GenericRecord e = valid();
    e.put("cardId", " ");

    // When / Then
    assertThat(VALIDATOR.validate(e, NOW).message()).isEqualTo("entity key field 'cardId' is blank");
  }
}
