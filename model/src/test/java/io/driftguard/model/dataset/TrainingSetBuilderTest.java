package io.driftguard.model.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Channel;
import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import io.driftguard.features.FeatureReplay;
import io.driftguard.features.FeatureSet;
import io.driftguard.model.Dataset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingSetBuilderTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final Instant CUTOFF = T0.plus(Duration.ofDays(2));
  static final String SET = "name: t\nentityKey: cardId\ntimestamp: eventTime\neventId: eventId\nfeatures:\n"
      + "  - {name: n_1h, aggregation: count, window: {type: sliding, size: 1h, grace: 15m}, freshnessSla: 1h}\n"
      + "  - {name: sum_1h, source: amount, aggregation: sum, window: {type: sliding, size: 1h, grace: 15m}, "
      + "freshnessSla: 1h}\n"
      + "  - {name: last_amount, source: amount, aggregation: last, freshnessSla: 30m}\n";
  static final FeatureSet FEATURES = FeatureSet.parse(SET, Transaction.getClassSchema());

  static Transaction txn(final String id, final String card, final double amount, final Instant t) {
    return txn(id, card, amount, t, Channel.POS, "DE");
  }

  static Transaction txn(final String id, final String card, final double amount, final Instant t,
      final Channel channel, final String country) {
    return Transaction.newBuilder().setEventId(id).setCardId(card).setEventTime(t).setAmount(amount)
        .setCurrency("EUR").setMerchantId("m-1").setMerchantCategory("grocery").setCountry(country)
        .setChannel(channel).setDeviceId(null).setCustomerEmail("someone@example.com").build();
  }

  static Label label(final String eventId, final int y, final Instant labelTime) {
    return Label.newBuilder().setEventId(eventId).setEntityId("c1").setLabel(y).setLabelTime(labelTime)
        .setEventTime(null).setSource("test").build();
  }

  private static double value(final TrainingSet set, final String eventId, final String feature) {
    final Dataset d = set.dataset();
    return d.rows()[d.eventIds().indexOf(eventId)][d.featureNames().indexOf(feature)];
  }

  @Test
  void shouldUseOnlyEventsBeforeAndArrivedEarlierWhenAnEventArrivesOutOfOrder() {
    // Given: B (t0+20m) arrives before C (t0+10m); D (t0+30m) arrives last
    final List<Transaction> events = List.of(
        txn("A", "c1", 10, T0),
        txn("B", "c1", 20, T0.plus(Duration.ofMinutes(20))),
        txn("C", "c1", 40, T0.plus(Duration.ofMinutes(10))),
        txn("D", "c1", 80, T0.plus(Duration.ofMinutes(30))));
    final List<Label> labels = List.of(label("A", 0, T0.plus(Duration.ofHours(1))),
        label("B", 1, T0.plus(Duration.ofHours(1))), label("C", 0, T0.plus(Duration.ofHours(1))),
        label("D", 1, T0.plus(Duration.ofHours(1))));
    final TrainingSetBuilder builder = TrainingSetBuilder.create(FEATURES,
        TrainingSetConfig.asOf(CUTOFF).withStaleFeatures(TrainingSetConfig.StaleFeatures.KEEP));

    // When
    final TrainingSet set = builder.build(events, labels);

    // Then: A has no history; C sees only A (B is later in time, C's own event is not "before" it)
    assertThat(set.dataset().eventIds()).containsExactly("A", "B", "C", "D");
    assertThat(value(set, "A", "n_1h")).isZero();
    assertThat(value(set, "A", "sum_1h")).isNaN();
    assertThat(value(set, "B", "n_1h")).isEqualTo(1.0);
    assertThat(value(set, "C", "n_1h")).isEqualTo(1.0);
    assertThat(value(set, "C", "sum_1h")).isEqualTo(10.0);
    // D looks up as of t0+30m-1ms: B's vector (stamped 20m) is the newest; it was computed before C arrived
    assertThat(value(set, "D", "n_1h")).isEqualTo(2.0);
    assertThat(value(set, "D", "sum_1h")).isEqualTo(30.0);
    assertThat(value(set, "D", "last_amount")).isEqualTo(20.0);
    assertThat(set.dataset().labels()).containsExactly(0, 1, 0, 1);
    assertThat(set.stats().rowsWithoutPriorVector()).isEqualTo(1);
  }

  @Test
  void shouldNeverSeeTheEventItselfWhenTwoEventsShareATimestamp() {
    // Given: two events of one card at the same millisecond
    final List<Transaction> events = List.of(txn("A", "c1", 10, T0), txn("B", "c1", 20, T0),
        txn("C", "c1", 30, T0.plusMillis(1)));
    final List<Label> labels = List.of(label("A", 0, CUTOFF), label("B", 0, CUTOFF), label("C", 1, CUTOFF));

    // When
    final TrainingSet set = TrainingSetBuilder.create(FEATURES, TrainingSetConfig.asOf(CUTOFF)).build(events, labels);

    // Then: B cannot see A (same time, not strictly before); C sees the later vector at T0 (B's: both events)
    assertThat(value(set, "B", "n_1h")).isZero();
    assertThat(value(set, "B", "last_amount")).isNaN();
    assertThat(value(set, "C", "n_1h")).isEqualTo(2.0);
  }

  @Test
  void shouldFailWhenAVectorReflectsAnEventAfterTheLabelledEvent() {
    // Given: real vectors from the topology's engine, one tampered so that A's vector claims an event after B
    final List<Transaction> events = List.of(txn("A", "c1", 10, T0),
        txn("B", "c1", 20, T0.plus(Duration.ofMinutes(5))));
    final List<FeatureVector> vectors = new ArrayList<>(FeatureReplay.builder(FEATURES)
        .clock(Clock.fixed(CUTOFF, ZoneOffset.UTC)).build().run(events).vectors());
    final FeatureVector a = FeatureVector.newBuilder(vectors.get(0)).build();
    final List<FeatureValue> tampered = new ArrayList<>(a.getFeatures());
    tampered.set(1, FeatureValue.newBuilder(tampered.get(1)).setAsOf(T0.plus(Duration.ofMinutes(6))).build());
    a.setFeatures(tampered);
    vectors.set(0, a);
    final List<Label> labels = List.of(label("A", 0, CUTOFF), label("B", 1, CUTOFF));
    final TrainingSetBuilder builder = TrainingSetBuilder.create(FEATURES, TrainingSetConfig.asOf(CUTOFF));

    // When / Then: untampered vectors build; the tampered one is refused, naming feature and event
    assertThat(builder.buildFromVectors(events, FeatureReplay.builder(FEATURES)
        .clock(Clock.fixed(CUTOFF, ZoneOffset.UTC)).build().run(events).vectors(), labels).dataset().size())
        .isEqualTo(2);
    assertThatThrownBy(() -> builder.buildFromVectors(events, vectors, labels))
        .isInstanceOf(LeakageException.class)
        .hasMessageContaining("feature 'sum_1h' for event 'B'")
        .hasMessageContaining("2026-03-01T10:06:00Z");
  }

  @Test
  void shouldDropLabelsAfterTheCutoffWhenUnlabelledEventsAreDropped() {
    // Given: e2's fraud label arrives one second after the cutoff; e3 has none
    final List<Transaction> events = List.of(txn("e1", "c1", 10, T0), txn("e2", "c2", 10, T0),
        txn("e3", "c3", 10, T0));
    final List<Label> labels = List.of(label("e1", 1, CUTOFF), label("e2", 1, CUTOFF.plusSeconds(1)));

    // When
    final TrainingSet set = TrainingSetBuilder.create(FEATURES, TrainingSetConfig.asOf(CUTOFF)).build(events, labels);

    // Then
    assertThat(set.dataset().eventIds()).containsExactly("e1");
    assertThat(set.dataset().labels()).containsExactly(1);
    assertThat(set.stats().labelsAfterCutoff()).isEqualTo(1);
    assertThat(set.stats().droppedUnlabelled()).isEqualTo(2);
  }

  @Test
  void shouldKeepOnlyMatureUnlabelledEventsAsNegativesWhenConfigured() {
    // Given: e2's label is after the cutoff, so at the cutoff e2 counts as legitimate; e4 is too young
    final List<Transaction> events = List.of(txn("e1", "c1", 10, T0), txn("e2", "c2", 10, T0),
        txn("e3", "c3", 10, T0), txn("e4", "c4", 10, CUTOFF.minus(Duration.ofHours(1))),
        txn("e5", "c5", 10, CUTOFF.plusSeconds(10)));
    final List<Label> labels = List.of(label("e1", 1, CUTOFF), label("e2", 1, CUTOFF.plusSeconds(1)));
    final TrainingSetConfig config = TrainingSetConfig.asOf(CUTOFF)
        .withUnlabelled(TrainingSetConfig.Unlabelled.NEGATIVE, Duration.ofDays(1));

    // When
    final TrainingSet set = TrainingSetBuilder.create(FEATURES, config).build(events, labels);

    // Then
    assertThat(set.dataset().eventIds()).containsExactly("e1", "e2", "e3");
    assertThat(set.dataset().labels()).containsExactly(1, 0, 0);
    assertThat(set.stats().negativesByPolicy()).isEqualTo(2);
    assertThat(set.stats().droppedUnlabelled()).isEqualTo(1);
    assertThat(set.stats().eventsAfterCutoff()).isEqualTo(1);
  }

  @Test
  void shouldUseTheLatestLabelKnownByTheCutoffWhenAnEventIsRelabelled() {
    // Given: fraud reported, then reversed before the cutoff, then reported again after it
    final List<Transaction> events = List.of(txn("e1", "c1", 10, T0));
    final List<Label> labels = List.of(label("e1", 1, T0.plus(Duration.ofHours(2))),
        label("e1", 0, T0.plus(Duration.ofHours(5))), label("e1", 1, CUTOFF.plusSeconds(1)));

    // When
    final TrainingSet set = TrainingSetBuilder.create(FEATURES, TrainingSetConfig.asOf(CUTOFF)).build(events, labels);

    // Then
    assertThat(set.dataset().labels()).containsExactly(0);
    assertThat(set.stats().labelsSuperseded()).isEqualTo(1);
    assertThat(set.stats().labelsAfterCutoff()).isEqualTo(1);
  }

  @Test
  void shouldMakeStaleFeaturesMissingWhenOlderThanTheirSla() {
    // Given: the previous event is 45 minutes old; last_amount has a 30m SLA, the 1h windows a 1h SLA
    final List<Transaction> events = List.of(txn("A", "c1", 10, T0),
        txn("B", "c1", 20, T0.plus(Duration.ofMinutes(45))));
    final List<Label> labels = List.of(label("A", 0, CUTOFF), label("B", 0, CUTOFF));

    // When
    final TrainingSet missing = TrainingSetBuilder.create(FEATURES, TrainingSetConfig.asOf(CUTOFF))
        .build(events, labels);
    final TrainingSet kept = TrainingSetBuilder.create(FEATURES,
        TrainingSetConfig.asOf(CUTOFF).withStaleFeatures(TrainingSetConfig.StaleFeatures.KEEP)).build(events, labels);

    // Then
    assertThat(value(missing, "B", "last_amount")).isNaN();
    assertThat(value(missing, "B", "sum_1h")).isEqualTo(10.0);
    assertThat(missing.stats().staleValuesMissing()).isEqualTo(1);
    assertThat(value(kept, "B", "last_amount")).isEqualTo(10.0);
  }

  @Test
  void shouldAddEventFieldsAndSlicesWhenConfigured() {
    // Given
    final List<Transaction> events = List.of(txn("e1", "c1", 5, T0, Channel.ONLINE, "FR"),
        txn("e2", "c2", 250, T0, Channel.POS, "DE"), txn("e3", "c3", 60, T0, Channel.ONLINE, "DE"));
    final List<Label> labels = List.of(label("e1", 1, CUTOFF), label("e2", 0, CUTOFF), label("e3", 0, CUTOFF));
    final TrainingSetConfig config = TrainingSetConfig.asOf(CUTOFF).withEventFields(List.of("amount", "channel"))
        .withSlices(List.of("channel", "country"), "amount", List.of(10.0, 100.0));

    // When
    final Dataset d = TrainingSetBuilder.create(FEATURES, config).build(events, labels).dataset();

    // Then
    assertThat(d.featureNames()).containsExactly("n_1h", "sum_1h", "last_amount", "amount", "channel");
    assertThat(d.categories()).isEqualTo(Map.of("channel", List.of("ONLINE", "POS")));
    assertThat(d.rows()[1][3]).isEqualTo(250.0);
    assertThat(d.rows()[1][4]).isEqualTo(1.0);
    assertThat(d.sliceColumns().get("channel")).containsExactly("ONLINE", "POS", "ONLINE");
    assertThat(d.sliceColumns().get("country")).containsExactly("FR", "DE", "DE");
    assertThat(d.sliceColumns().get("amountBucket")).containsExactly("<10", ">=100", "10-100");
    assertThat(d.featureSetHash()).isEqualTo(FEATURES.hash());
  }

  @Test
  void shouldRefusePiiAndUnknownFieldsWhenConfigured() {
    // Given / When / Then
    assertThatThrownBy(() -> TrainingSetBuilder.create(FEATURES,
        TrainingSetConfig.asOf(CUTOFF).withEventFields(List.of("customerEmail"))))
        .hasMessageContaining("trainingSet.eventFields").hasMessageContaining("customerEmail")
        .hasMessageContaining("pii");
    assertThatThrownBy(() -> TrainingSetBuilder.create(FEATURES,
        TrainingSetConfig.asOf(CUTOFF).withSlices(List.of("colour"), null, null)))
        .hasMessageContaining("trainingSet.sliceFields: unknown field 'colour'");
    final FeatureSet clash = FeatureSet.parse(SET.replace("name: last_amount", "name: amount"),
        Transaction.getClassSchema());
    assertThatThrownBy(() -> TrainingSetBuilder.create(clash,
        TrainingSetConfig.asOf(CUTOFF).withEventFields(List.of("amount"))))
        .hasMessageContaining("'amount' is also a feature of set 't'");
  }

  @Test
  void shouldChangeTheSnapshotIdWhenAnInputOrTheConfigChanges() {
    // Given
    final List<Transaction> events = List.of(txn("e1", "c1", 10, T0), txn("e2", "c1", 12, T0.plusSeconds(60)));
    final List<Label> labels = List.of(label("e1", 1, CUTOFF), label("e2", 0, CUTOFF));
    final TrainingSetBuilder builder = TrainingSetBuilder.create(FEATURES, TrainingSetConfig.asOf(CUTOFF));

    // When
    final String first = builder.build(events, labels).snapshotId();
    final String again = builder.build(events, labels).snapshotId();
    final String otherLabelInput = builder.build(events, List.of(label("e1", 1, CUTOFF), label("e2", 0, CUTOFF),
        label("e9", 1, CUTOFF.plusSeconds(5)))).snapshotId();
    final String otherCutoff = TrainingSetBuilder.create(FEATURES, TrainingSetConfig.asOf(CUTOFF.plusSeconds(1)))
        .build(events, labels).snapshotId();

    // Then
    assertThat(again).isEqualTo(first);
    assertThat(otherLabelInput).isNotEqualTo(first);
    assertThat(otherCutoff).isNotEqualTo(first);
  }

  @Test
  void shouldCountRejectedEventsWhenTheFeatureLibraryRefusesThem() {
    // Given: a negative amount breaks no constraint of this set, but an event far in the future is refused
    final List<Transaction> events = List.of(txn("e1", "c1", 10, T0),
        txn("e2", "c1", 10, CUTOFF.plus(Duration.ofDays(3))));
    final List<Label> labels = List.of(label("e1", 0, CUTOFF));

    // When
    final TrainingSet set = TrainingSetBuilder.create(FEATURES, TrainingSetConfig.asOf(CUTOFF)).build(events, labels);

    // Then
    assertThat(set.stats().eventsRejected()).isEqualTo(Map.of("FUTURE_TIMESTAMP", 1L));
    assertThat(set.stats().eventsRead()).isEqualTo(2);
    assertThat(set.dataset().size()).isEqualTo(1);
  }
}
