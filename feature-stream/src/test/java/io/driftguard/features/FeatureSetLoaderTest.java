package io.driftguard.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Transaction;
import java.time.Duration;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeatureSetLoaderTest {
  private static final Schema SCHEMA = Transaction.getClassSchema();

  private static String set(final String features) {
    return "name: t\nentityKey: cardId\ntimestamp: eventTime\nfeatures:\n" + features;
  }

  @Test
  void shouldLoadTheDemoSetWhenReadFromTheClasspath() {
    // When
    final FeatureSet set = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, SCHEMA);

    // Then
    assertThat(set.name()).isEqualTo("transactions");
    assertThat(set.featureNames()).contains("txn_count_10m", "txn_count_1h", "txn_count_24h", "amount_mean_24h",
        "amount_max_24h", "amount_stddev_24h", "amount_vs_mean_24h", "merchant_distinct_24h", "country_distinct_24h",
        "online_share_24h", "seconds_since_last_txn");
    assertThat(set.hash()).matches("[0-9a-f]{64}");
    assertThat(set.retention()).isEqualTo(Duration.ofHours(24).plusMinutes(1));
    assertThat(set.feature("online_count_24h").orElseThrow().filter()).isEqualTo("channel == ONLINE");
  }

  @Test
  void shouldKeepTheHashWhenOnlyFormattingAndKeyOrderChange() {
    // Given
    final String a = set("  - {name: c, aggregation: count, window: {type: sliding, size: 10m}, freshnessSla: 1h}\n");
    final String b = "# comment\nfeatures:\n  - freshnessSla: 60m\n    window:\n      size: 600s\n      type: sliding\n"
        + "    aggregation: count\n    name: c\ntimestamp: eventTime\nentityKey: cardId\nname: t\n";

    // When / Then
    assertThat(FeatureSet.parse(a, SCHEMA).hash()).isEqualTo(FeatureSet.parse(b, SCHEMA).hash());
  }

  @Test
  void shouldChangeTheHashWhenAWindowChanges() {
    // Given
    final String a = set("  - {name: c, aggregation: count, window: {type: sliding, size: 10m}, freshnessSla: 1h}\n");
    final String b = set("  - {name: c, aggregation: count, window: {type: sliding, size: 11m}, freshnessSla: 1h}\n");

    // When / Then
    assertThat(FeatureSet.parse(a, SCHEMA).hash()).isNotEqualTo(FeatureSet.parse(b, SCHEMA).hash());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown field|{name: f, source: amout, aggregation: sum, window: {type: sliding, size: 1h}, freshnessSla: 1h}"
          + "|feature 'f': key 'source': unknown field 'amout'",
      "sum over a string|{name: f, source: currency, aggregation: sum, window: {type: sliding, size: 1h}, freshnessSla: 1h}"
          + "|feature 'f': key 'source': aggregation sum needs a numeric field, 'currency' is STRING",
      "pii source|{name: f, source: customerEmail, aggregation: distinct_count, window: {type: sliding, size: 1h}, freshnessSla: 1h}"
          + "|feature 'f': key 'source': field 'customerEmail' is marked PII",
      "pii filter|{name: f, aggregation: count, filter: customerEmail == x, window: {type: sliding, size: 1h}, freshnessSla: 1h}"
          + "|feature 'f': key 'filter': filter 'customerEmail == x': field 'customerEmail' is PII",
      "unknown aggregation|{name: f, source: amount, aggregation: median, window: {type: sliding, size: 1h}, freshnessSla: 1h}"
          + "|feature 'f': key 'aggregation': unknown aggregation 'median'",
      "window smaller than advance|{name: f, aggregation: count, window: {type: hopping, size: 5m, advance: 10m}, freshnessSla: 1h}"
          + "|feature 'f': key 'window': window size PT5M is smaller than its advance PT10M",
      "ratio over unknown feature|{name: f, aggregation: ratio, numerator: a, denominator: b, freshnessSla: 1h}"
          + "|feature 'f': key 'numerator': unknown feature 'a'",
      "unknown enum symbol|{name: f, aggregation: count, filter: channel == ONLIN, window: {type: sliding, size: 1h}, freshnessSla: 1h}"
          + "|feature 'f': key 'filter': filter 'channel == ONLIN': 'ONLIN' is not a symbol of enum 'channel'",
      "ordering on a string|{name: f, aggregation: count, filter: country > DE, window: {type: sliding, size: 1h}, freshnessSla: 1h}"
          + "|feature 'f': key 'filter': filter 'country > DE': operator > needs a numeric field",
      "missing window|{name: f, source: amount, aggregation: sum, freshnessSla: 1h}"
          + "|feature 'f': key 'window': aggregation sum needs a window",
      "missing sla|{name: f, aggregation: count, window: {type: sliding, size: 1h}}"
          + "|feature 'f': key 'freshnessSla' is missing",
      "unknown key|{name: f, aggregation: count, windw: {type: sliding, size: 1h}, freshnessSla: 1h}"
          + "|feature 'f': unknown key 'windw'",
      "bad duration|{name: f, aggregation: count, window: {type: sliding, size: 10 minutes}, freshnessSla: 1h}"
          + "|feature 'f': key 'window': key 'size': '10 minutes' is not a duration",
      "unknown window type|{name: f, aggregation: count, window: {type: session, size: 1h}, freshnessSla: 1h}"
          + "|feature 'f': key 'window': key 'type': unknown window type 'session'",
  })
  void shouldRefuseWithTheFeatureAndKeyWhenTheDefinitionIsWrong(final String why, final String feature,
      final String message) {
    // Given
    final String yaml = set("  - " + feature + "\n");

    // When / Then
    assertThatThrownBy(() -> FeatureSet.parse(yaml, SCHEMA))
        .isInstanceOf(FeatureSetException.class)
        .hasMessageContaining(message);
  }

  @Test
  void shouldRefuseWhenTwoFeaturesShareAName() {
    // Given
    final String yaml = set(
        "  - {name: f, aggregation: count, window: {type: sliding, size: 1h}, freshnessSla: 1h}\n"
            + "  - {name: f, aggregation: count, window: {type: sliding, size: 2h}, freshnessSla: 1h}\n");

    // When / Then
    assertThatThrownBy(() -> FeatureSet.parse(yaml, SCHEMA))
        .isInstanceOf(FeatureSetException.class)
        .hasMessageContaining("feature 'f': key 'name': duplicate feature name");
  }

  @Test
  void shouldRefuseWhenTheEntityKeyIsNotAString() {
    // Given
    final String yaml = "name: t\nentityKey: amount\ntimestamp: eventTime\nfeatures:\n"
        + "  - {name: f, aggregation: count, window: {type: sliding, size: 1h}, freshnessSla: 1h}\n";

    // When / Then
    assertThatThrownBy(() -> FeatureSet.parse(yaml, SCHEMA))
        .hasMessageContaining("feature set 't': key 'entityKey': field 'amount' must be a non-null, non-PII string");
  }

  @Test
  void shouldRefuseWhenAConstraintNamesAnUnknownField() {
    // Given
    final String yaml = "name: t\nentityKey: cardId\ntimestamp: eventTime\nconstraints: {amont: {min: 0}}\nfeatures:\n"
        + "  - {name: f, aggregation: count, window: {type: sliding, size: 1h}, freshnessSla: 1h}\n";

    // When / Then
    assertThatThrownBy(() -> FeatureSet.parse(yaml, SCHEMA))
        .hasMessageContaining("feature set 't': constraint 'amont': unknown field 'amont'");
  }

  @Test
  void shouldRefuseWhenTheIdleTtlIsShorterThanRetention() {
    // Given
    final String yaml = "name: t\nentityKey: cardId\ntimestamp: eventTime\nidleTtl: 30m\nfeatures:\n"
        + "  - {name: f, aggregation: count, window: {type: sliding, size: 1h}, freshnessSla: 1h}\n";

    // When / Then
    assertThatThrownBy(() -> FeatureSet.parse(yaml, SCHEMA))
        .hasMessageContaining("key 'idleTtl': PT30M is shorter than the largest window plus grace (PT1H)");
  }
}
