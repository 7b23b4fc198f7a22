package io.driftguard.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class PiiTest {

  @Test
  void shouldListCustomerEmailWhenSchemaIsTransaction() {
    assertThat(Pii.piiFields(Transaction.getClassSchema())).containsExactly("customerEmail");
  }

  @Test
  void shouldListNothingWhenSchemaIsPrediction() {
    assertThat(Pii.piiFields(Prediction.getClassSchema())).isEmpty();
  }

  @Test
  void shouldRecurseWhenPiiIsNestedInRecordsUnionsArraysAndMaps() {
    // Given
    final Schema schema = new Schema.Parser().parse("""
        {"type":"record","name":"Order","fields":[
          {"name":"id","type":"string"},
          {"name":"customer","type":["null",{"type":"record","name":"Customer","fields":[
            {"name":"name","type":"string","pii":true},
            {"name":"address","type":{"type":"record","name":"Address","fields":[
              {"name":"street","type":"string","pii":"true"},{"name":"city","type":"string"}]}}]}]},
          {"name":"contacts","type":{"type":"array","items":{"type":"record","name":"Contact","fields":[
            {"name":"phone","type":"string","pii":true}]}}},
          {"name":"notes","type":{"type":"map","values":{"type":"record","name":"Note","fields":[
            {"name":"author","type":"string","pii":true},{"name":"next","type":["null","Note"],"default":null}]}}},
          {"name":"public","type":"string","pii":false}]}""");

    // When
    final var fields = Pii.piiFields(schema);

    // Then
    assertThat(fields).containsExactly("customer.name", "customer.address.street", "contacts[].phone",
        "notes{}.author");
  }
}
