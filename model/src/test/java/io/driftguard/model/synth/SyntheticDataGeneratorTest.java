package io.driftguard.model.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.avro.Channel;
import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyntheticDataGeneratorTest {
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant ONSET = Instant.parse("2026-03-08T00:00:00Z");

    private static List<SyntheticRecord> reference;

    private static SynthConfig.Builder base() {
        return SynthConfig.builder().seed(7L).cards(800).start(START).duration(Duration.ofDays(14))
                .eventsPerCardDay(6.0);
    }

    private static List<SyntheticRecord> generate(final SynthConfig config) {
        return SyntheticDataGenerator.create(config).records().toList();
    }

    @BeforeAll
    static void generateReference() {
        reference = generate(base().build());
    }

    @Test
    void shouldEmitTransactionsInEventTimeOrderInsideThePeriodWhenGenerated() {
        // Given the reference run (800 cards, 14 days)
        // When looking at event times
        final long[] times = reference.stream().mapToLong(r -> r.transaction().getEventTime().toEpochMilli()).toArray();
        // Then they are sorted, inside [start, end), and the volume matches cards x days x rate (+ fraud bursts)
        assertThat(times).isSorted();
        assertThat(times[0]).isGreaterThanOrEqualTo(START.toEpochMilli());
        assertThat(times[times.length - 1]).isLessThan(START.plus(Duration.ofDays(14)).toEpochMilli());
        assertThat((double) times.length).isCloseTo(800 * 14 * 6.0, within(800 * 14 * 6.0 * 0.1));
        assertThat(reference.stream().map(r -> r.transaction().getEventId()).distinct().count())
                .isEqualTo(times.length);
    }

    @Test
    void shouldHaveFraudRateBetweenOneAndThreePercentWhenDefaultsAreUsed() {
        // Given / When
        final double rate = reference.stream().filter(SyntheticRecord::fraud).count() / (double) reference.size();
        // Then
        assertThat(rate).isBetween(0.01, 0.03);
        // and every label that arrives is the ground truth
        assertThat(reference).allSatisfy(r -> r.label().ifPresent(
                l -> assertThat(l.getLabel()).isEqualTo(r.fraud() ? 1 : 0)));
    }

    @Test
    void shouldMakeFraudLearnableFromWindowedFeaturesWhenComparedWithLegitimate() {
        // Given per-card count of earlier payments within 1h, amount vs the card's running mean, channel and country
        final Map<String, Deque<Long>> recent = new HashMap<>();
        final Map<String, double[]> sums = new HashMap<>();
        final Map<String, String> home = new HashMap<>();
        double fraudVelocity = 0;
        double legitVelocity = 0;
        double fraudAmountRatio = 0;
        double legitAmountRatio = 0;
        long fraudOnline = 0;
        long legitOnline = 0;
        long fraudForeign = 0;
        long legitForeign = 0;
        long fraudN = 0;
        long legitN = 0;
        for (final SyntheticRecord r : reference) {
            final Transaction t = r.transaction();
            final long now = t.getEventTime().toEpochMilli();
            final Deque<Long> window = recent.computeIfAbsent(t.getCardId(), k -> new ArrayDeque<>());
            while (!window.isEmpty() && window.peekFirst() <= now - 3_600_000L) {
                window.pollFirst();
            }
            final double[] s = sums.computeIfAbsent(t.getCardId(), k -> new double[2]);
            final double ratio = s[0] == 0 ? 1.0 : t.getAmount() / (s[1] / s[0]);
            final boolean foreign = !t.getCountry().equals(home.computeIfAbsent(t.getCardId(), k -> t.getCountry()));
            // When split by ground truth
            if (r.fraud()) {
                fraudN++;
                fraudVelocity += window.size();
                fraudAmountRatio += ratio;
                fraudOnline += t.getChannel() == Channel.ONLINE ? 1 : 0;
                fraudForeign += foreign ? 1 : 0;
            } else {
                legitN++;
                legitVelocity += window.size();
                legitAmountRatio += ratio;
                legitOnline += t.getChannel() == Channel.ONLINE ? 1 : 0;
                legitForeign += foreign ? 1 : 0;
            }
            window.addLast(now);
            s[0]++;
            s[1] += t.getAmount();
        }
        // Then each feature separates fraud from legitimate payments clearly
        assertThat(fraudVelocity / fraudN).isGreaterThan(3 * (legitVelocity / legitN));
        assertThat(fraudAmountRatio / fraudN).isGreaterThan(2 * (legitAmountRatio / legitN));
        assertThat(fraudOnline / (double) fraudN).isGreaterThan(2 * (legitOnline / (double) legitN));
        assertThat(fraudForeign / (double) fraudN).isGreaterThan(5 * (legitForeign / (double) legitN));
    }

    @Test
    void shouldCarryDeviceOnlyOnOnlineAndMobileAndAnEmailOnEveryEventWhenNoDrift() {
        // Given / When / Then
        assertThat(reference).allSatisfy(r -> {
            final Transaction t = r.transaction();
            final boolean needsDevice = t.getChannel() == Channel.ONLINE || t.getChannel() == Channel.MOBILE;
            assertThat(t.getDeviceId() != null).isEqualTo(needsDevice);
            assertThat(t.getCustomerEmail()).matches("user\\d+@example\\.com");
            assertThat(t.getAmount()).isPositive().isFinite();
            assertThat(t.getCurrency()).matches("[A-Z]{3}");
            assertThat(t.getCountry()).isNotIn(DemoWorld.NEW_COUNTRIES);
        });
        assertThat(reference.stream().map(r -> r.transaction().getChannel()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(Channel.POS, Channel.ONLINE, Channel.ATM, Channel.MOBILE);
    }

    @Test
    void shouldDelayLabelsLogNormallyAroundTheConfiguredMedianWhenLabelsArrive() {
        // Given a 6h median
        final List<SyntheticRecord> records = generate(base().cards(300).labelDelayMedian(Duration.ofHours(6))
                .labelDelaySigma(0.8).build());
        // When
        final double[] delayHours = records.stream().filter(r -> r.label().isPresent())
                .mapToDouble(r -> (r.label().get().getLabelTime().toEpochMilli()
                        - r.transaction().getEventTime().toEpochMilli()) / 3_600_000.0)
                .sorted().toArray();
        // Then the median is within 5% and the spread matches sigma 0.8 (log-space IQR = 2 * 0.6745 * sigma)
        final double median = delayHours[delayHours.length / 2];
        assertThat(median).isCloseTo(6.0, within(0.3));
        final double q1 = delayHours[delayHours.length / 4];
        final double q3 = delayHours[3 * delayHours.length / 4];
        assertThat(Math.log(q3 / q1)).isCloseTo(2 * 0.6745 * 0.8, within(0.08));
    }

    @Test
    void shouldNeverLetLabelsPrecedeTheirEventsWhenTimelineIsMerged() {
        // Given
        final SyntheticDataGenerator generator = SyntheticDataGenerator.create(base().cards(200).build());
        // When
        final List<TimedRecord> timeline = generator.timeline().toList();
        // Then timestamps never decrease, each label follows its own transaction and matches its event time
        final Map<String, Instant> seen = new HashMap<>();
        Instant previous = Instant.MIN;
        long labels = 0;
        for (final TimedRecord r : timeline) {
            assertThat(r.timestamp()).isAfterOrEqualTo(previous);
            previous = r.timestamp();
            if (r.value() instanceof Transaction t) {
                assertThat(r.key()).isEqualTo(t.getCardId());
                seen.put(t.getEventId(), t.getEventTime());
            } else {
                final Label l = (Label) r.value();
                labels++;
                assertThat(seen).containsKey(l.getEventId());
                assertThat(l.getLabelTime()).isAfter(seen.get(l.getEventId()));
                assertThat(l.getEventTime()).isEqualTo(seen.get(l.getEventId()));
                assertThat(r.key()).isEqualTo(l.getEntityId());
            }
        }
        assertThat(labels).isEqualTo(generator.records().filter(x -> x.label().isPresent()).count());
        assertThat(timeline.size() - labels).isEqualTo(generator.records().count());
    }

    @Test
    void shouldLeaveTheConfiguredFractionUnlabelledWhenMissingFractionIsSet() {
        // Given
        final List<SyntheticRecord> records = generate(base().cards(300).missingLabelFraction(0.2).build());
        // When
        final double missing = records.stream().filter(r -> r.label().isEmpty()).count() / (double) records.size();
        // Then
        assertThat(missing).isCloseTo(0.2, within(0.015));
        assertThat(reference.stream().filter(r -> r.label().isEmpty()).count() / (double) reference.size())
                .isCloseTo(0.05, within(0.01));
    }

    @Test
    void shouldRegenerateIdenticalRecordsWhenSeedIsRepeatedAndDifferentOnesWhenNot() {
        // Given / When
        final List<SyntheticRecord> again = generate(base().build());
        final List<SyntheticRecord> other = generate(base().seed(8L).build());
        // Then
        assertThat(again).isEqualTo(reference);
        assertThat(other.get(0).transaction()).isNotEqualTo(reference.get(0).transaction());
    }

    @Test
    void shouldShiftAmountsOnlyFromOnsetWhenAmountShiftIsInjected() {
        // Given
        final List<SyntheticRecord> drifted = scenario(Scenario.AMOUNT_SHIFT);
        // When: the same payments (AMOUNT_SHIFT draws no extra randomness) compared one by one
        assertThat(drifted).hasSameSizeAs(reference);
        double logShift = 0;
        int after = 0;
        for (int i = 0; i < drifted.size(); i++) {
            final Transaction d = drifted.get(i).transaction();
            final Transaction r = reference.get(i).transaction();
            if (d.getEventTime().isBefore(ONSET)) {
                assertThat(d).isEqualTo(r);
            } else if (d.getChannel() != Channel.ATM) {
                logShift += Math.log(d.getAmount() / r.getAmount());
                after++;
            }
        }
        // Then after the onset log-amounts moved up by 2 card sigmas (sigma in [0.5, 0.8])
        assertThat(logShift / after).isBetween(1.0, 1.6);
    }

    @Test
    void shouldIntroduceUnseenCountriesOnlyFromOnsetWhenNewCountriesIsInjected() {
        // Given
        final List<SyntheticRecord> drifted = scenario(Scenario.NEW_COUNTRIES);
        // When
        assertPrefixIdentical(drifted);
        final List<Transaction> after = drifted.stream().map(SyntheticRecord::transaction)
                .filter(t -> !t.getEventTime().isBefore(ONSET)).toList();
        final Set<String> before = drifted.stream().map(SyntheticRecord::transaction)
                .filter(t -> t.getEventTime().isBefore(ONSET)).map(Transaction::getCountry)
                .collect(Collectors.toSet());
        final double share = after.stream().filter(t -> DemoWorld.NEW_COUNTRIES.contains(t.getCountry())).count()
                / (double) after.size();
        // Then
        assertThat(before).doesNotContainAnyElementsOf(DemoWorld.NEW_COUNTRIES);
        assertThat(share).isCloseTo(0.3, within(0.02));
        assertThat(after).allSatisfy(t -> assertThat(t.getCurrency()).matches("[A-Z]{3}"));
    }

    @Test
    void shouldNullDeviceIdsOnOnlineOnlyFromOnsetWhenNullSpikeIsInjected() {
        // Given
        final List<SyntheticRecord> drifted = scenario(Scenario.NULL_SPIKE);
        // When
        assertPrefixIdentical(drifted);
        final double before = onlineNullRate(drifted, false);
        final double after = onlineNullRate(drifted, true);
        // Then
        assertThat(before).isZero();
        assertThat(after).isCloseTo(0.6, within(0.02));
    }

    @Test
    void shouldMultiplyFraudRateOnlyFromOnsetWhenLabelRateChangeIsInjected() {
        // Given
        final List<SyntheticRecord> drifted = scenario(Scenario.LABEL_RATE_CHANGE);
        // When
        assertPrefixIdentical(drifted);
        final double refAfter = fraudRate(reference, true);
        final double after = fraudRate(drifted, true);
        // Then
        assertThat(fraudRate(drifted, false)).isEqualTo(fraudRate(reference, false));
        assertThat(after / refAfter).isBetween(2.3, 3.7);
    }

    @Test
    void shouldStopLabelsAtOnsetWhenLabelOutageIsInjected() {
        // Given
        final List<SyntheticRecord> drifted = scenario(Scenario.LABEL_OUTAGE);
        // When
        final List<Label> labels = drifted.stream().flatMap(r -> r.label().stream()).toList();
        final List<Label> refLabels = reference.stream().flatMap(r -> r.label().stream()).toList();
        // Then every label before the onset is unchanged and none arrives at or after it
        assertThat(drifted.stream().map(SyntheticRecord::transaction).toList())
                .isEqualTo(reference.stream().map(SyntheticRecord::transaction).toList());
        assertThat(labels).allSatisfy(l -> assertThat(l.getLabelTime()).isBefore(ONSET));
        assertThat(labels).containsExactlyElementsOf(
                refLabels.stream().filter(l -> l.getLabelTime().isBefore(ONSET)).toList());
        assertThat(labels).hasSizeGreaterThan(refLabels.size() / 3);
    }

    @Test
    void shouldDescribeOnsetAndChangeWhenScenarioIsSet() {
        // Given
        final SyntheticDataGenerator generator = SyntheticDataGenerator.create(
                base().scenario(Scenario.NULL_SPIKE, ONSET).build());
        // When / Then
        assertThat(generator.drift()).hasValueSatisfying(d -> {
            assertThat(d.scenario()).isEqualTo(Scenario.NULL_SPIKE);
            assertThat(d.onset()).isEqualTo(ONSET);
            assertThat(d.description()).contains("deviceId").contains("60.0%");
        });
        assertThat(SyntheticDataGenerator.create(base().build()).drift()).isEmpty();
    }

    @Test
    void shouldRejectConfigWithClearMessageWhenOnsetIsMissingOrOutside() {
        // Given / When / Then
        assertThatThrownBy(() -> base().scenario(Scenario.AMOUNT_SHIFT, null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("onset");
        assertThatThrownBy(() -> base().scenario(Scenario.AMOUNT_SHIFT, START.minusSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("onset");
        assertThatThrownBy(() -> base().cards(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cards");
        assertThatThrownBy(() -> base().missingLabelFraction(1.0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missingLabelFraction");
    }

    @Test
    void shouldConvertEventsPerSecondToPerCardDayWhenBuilt() {
        // Given / When
        final SynthConfig config = base().cards(100).eventsPerSecond(0.5).build();
        // Then
        assertThat(config.eventsPerCardDay()).isCloseTo(0.5 * 86_400 / 100, within(1e-9));
    }

    private static List<SyntheticRecord> scenario(final Scenario scenario) {
        return generate(base().scenario(scenario, ONSET).build());
    }

    /** Everything strictly before the onset equals the undrifted run with the same seed. */
    private static void assertPrefixIdentical(final List<SyntheticRecord> drifted) {
        final List<Transaction> a = drifted.stream().map(SyntheticRecord::transaction)
                .filter(t -> t.getEventTime().isBefore(ONSET)).toList();
        final List<Transaction> b = reference.stream().map(SyntheticRecord::transaction)
                .filter(t -> t.getEventTime().isBefore(ONSET)).toList();
        assertThat(a).isNotEmpty().isEqualTo(b);
    }

    private static double onlineNullRate(final List<SyntheticRecord> records, final boolean afterOnset) {
        final long[] counts = new long[2];
        records.stream().map(SyntheticRecord::transaction)
                .filter(t -> t.getEventTime().isBefore(ONSET) != afterOnset)
                .filter(t -> t.getChannel() == Channel.ONLINE || t.getChannel() == Channel.MOBILE)
                .forEach(t -> {
                    counts[0]++;
                    counts[1] += t.getDeviceId() == null ? 1 : 0;
                });
        return counts[1] / (double) counts[0];
    }

    private static double fraudRate(final List<SyntheticRecord> records, final boolean afterOnset) {
        final long[] counts = new long[2];
        records.stream().filter(r -> r.transaction().getEventTime().isBefore(ONSET) != afterOnset).forEach(r -> {
            counts[0]++;
            counts[1] += r.fraud() ? 1 : 0;
        });
        return counts[1] / (double) counts[0];
    }
}
