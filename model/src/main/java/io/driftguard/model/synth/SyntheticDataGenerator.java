package io.driftguard.model.synth;

import io.driftguard.avro.Channel;
import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Deterministic synthetic card payments with a hidden fraud process, delayed labels and optional drift.
 *
 * <p>The hidden fraud process has two parts, both known exactly through {@link SyntheticRecord#fraud()}:
 * <ul>
 *   <li>Fraud bursts: at each legitimate payment a card is compromised with a small probability; the fraudster then
 *   makes 2-10 payments a few minutes apart (velocity), mostly ONLINE, in electronics/gift cards/travel, often from a
 *   risky foreign country, with amounts well above the card's usual, on a device the card never used.</li>
 *   <li>Isolated fraud: each legitimate-looking payment is fraud with a small logistic probability that rises with
 *   high-risk categories, ONLINE, foreign countries and amounts above the card's usual.</li>
 * </ul>
 * With the defaults the fraud rate is about 2%. Labels arrive after a log-normal delay; a configurable fraction
 * never arrives.
 *
 * <p>Every call to {@link #records()} or {@link #timeline()} regenerates from the seed: output is lazy, bounded in
 * memory by the number of cards (plus pending labels for the timeline), and identical between calls.
 * Randomness is consumed in event-time order, so a drift scenario leaves everything before its onset identical to
 * the NONE scenario with the same seed.
 */
public final class SyntheticDataGenerator {
    /** Per legitimate payment: chance the card gets compromised and a fraud burst starts. */
    static final double BURST_START_PROBABILITY = 0.004;
    private static final double BURST_FIRST_GAP_MEAN_MS = 10 * 60_000.0;
    private static final double BURST_GAP_MEAN_MS = 4 * 60_000.0;
    private static final double TRAVEL_PROBABILITY = 0.03;

    private final SynthConfig config;

    private SyntheticDataGenerator(final SynthConfig config) {
        this.config = config;
    }

    public static SyntheticDataGenerator create(final SynthConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        return new SyntheticDataGenerator(config);
    }

    public SynthConfig config() {
        return config;
    }

    /** The injected drift, or empty for {@link Scenario#NONE}. */
    public Optional<DriftOnset> drift() {
        return switch (config.scenario()) {
            case NONE -> Optional.empty();
            case AMOUNT_SHIFT -> Optional.of(new DriftOnset(config.scenario(), config.onset(), String.format(
                    Locale.ROOT, "amount: log-amount shifted by +%.3f card sigmas (amount x exp(%.3f sigma))"
                            + " for transactions with eventTime >= onset", config.amountShiftSigmas(),
                    config.amountShiftSigmas())));
            case NEW_COUNTRIES -> Optional.of(new DriftOnset(config.scenario(), config.onset(), String.format(
                    Locale.ROOT, "country: %.1f%% of transactions with eventTime >= onset come from unseen"
                            + " countries %s", 100 * config.newCountryShare(), DemoWorld.NEW_COUNTRIES)));
            case NULL_SPIKE -> Optional.of(new DriftOnset(config.scenario(), config.onset(), String.format(
                    Locale.ROOT, "deviceId: null on %.1f%% of ONLINE/MOBILE transactions with eventTime >="
                            + " onset (0%% before)", 100 * config.nullSpikeRate())));
            case LABEL_RATE_CHANGE -> Optional.of(new DriftOnset(config.scenario(), config.onset(), String.format(
                    Locale.ROOT, "fraud rate: hidden fraud process x%.3f for transactions with eventTime >="
                            + " onset", config.fraudRateMultiplier())));
            case LABEL_OUTAGE -> Optional.of(new DriftOnset(config.scenario(), config.onset(),
                    "labels: no label with labelTime >= onset arrives"));
        };
    }

    /** Generated payments in event-time order (ties in generation order), each with its label if it arrives. */
    public Iterator<SyntheticRecord> iterator() {
        return new RecordIterator(config);
    }

    public Stream<SyntheticRecord> records() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Transactions at their eventTime merged with labels at their labelTime, in timestamp order: what a producer
     * publishes, paced on {@link TimedRecord#timestamp()}. A label sorts before a transaction with the same
     * timestamp. Labels whose labelTime falls after the period end still follow, at the end, in labelTime order.
     */
    public Stream<TimedRecord> timeline() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new TimelineIterator(iterator()),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** A payment waiting in the schedule: the next legitimate payment of a card, or one of a burst. */
    private record Pending(long timeMs, long seq, int card, Burst burst) {
    }

    /** A fraudster working a compromised card: fixed location and device for the whole burst. */
    private record Burst(String country, String device, Channel preferredChannel) {
    }

    private static final class RecordIterator implements Iterator<SyntheticRecord> {
        private final SynthConfig config;
        private final Rng rng;
        private final DemoWorld world;
        private final PriorityQueue<Pending> queue = new PriorityQueue<>(
                Comparator.comparingLong(Pending::timeMs).thenComparingLong(Pending::seq));
        private final long endMs;
        private final long onsetMs;
        private long seq;

        RecordIterator(final SynthConfig config) {
            this.config = config;
            this.rng = new Rng(config.seed());
            this.world = new DemoWorld(config, rng);
            this.endMs = config.end().toEpochMilli();
            this.onsetMs = config.onset() == null ? Long.MAX_VALUE : config.onset().toEpochMilli();
            final long startMs = config.start().toEpochMilli();
            for (final DemoWorld.Card card : world.cards) {
                schedule(startMs + nextGapMs(card), card.index(), null);
            }
        }

        private long nextGapMs(final DemoWorld.Card card) {
            return 1 + (long) rng.exponential(86_400_000.0 / card.eventsPerDay());
        }

        private void schedule(final long timeMs, final int card, final Burst burst) {
            if (timeMs < endMs) {
                queue.add(new Pending(timeMs, seq++, card, burst));
            }
        }

        @Override
        public boolean hasNext() {
            return !queue.isEmpty();
        }

        @Override
        public SyntheticRecord next() {
            final Pending p = queue.poll();
            if (p == null) {
                throw new NoSuchElementException("synthetic period exhausted at " + config.end());
            }
            final DemoWorld.Card card = world.cards.get(p.card());
            final boolean drifted = p.timeMs() >= onsetMs;
            final Transaction txn;
            final boolean fraud;
            if (p.burst() == null) {
                schedule(p.timeMs() + nextGapMs(card), card.index(), null);
                final double multiplier = drifted && config.scenario() == Scenario.LABEL_RATE_CHANGE
                        ? config.fraudRateMultiplier() : 1.0;
                if (rng.bernoulli(Math.min(1.0, BURST_START_PROBABILITY * multiplier))) {
                    startBurst(p.timeMs(), card);
                }
                final Draft draft = legitimateDraft(card, drifted);
                txn = finish(draft, card, p.timeMs(), drifted);
                fraud = rng.bernoulli(Math.min(1.0, isolatedFraudProbability(draft, card) * multiplier));
            } else {
                txn = finish(burstDraft(card, p.burst()), card, p.timeMs(), drifted);
                fraud = true;
            }
            return new SyntheticRecord(txn, label(txn, fraud), fraud, p.burst() != null);
        }

        private void startBurst(final long timeMs, final DemoWorld.Card card) {
            final double where = rng.uniform();
            final String country;
            if (where < 0.5) {
                country = DemoWorld.RISKY_COUNTRIES.get(rng.nextInt(DemoWorld.RISKY_COUNTRIES.size()));
            } else if (where < 0.8) {
                country = DemoWorld.TRAVEL_COUNTRIES.get(rng.nextInt(DemoWorld.TRAVEL_COUNTRIES.size()));
            } else {
                country = card.homeCountry();
            }
            final String device = String.format("dev-%016x", rng.nextLong());
            final Channel channel = rng.bernoulli(0.8) ? Channel.ONLINE : Channel.MOBILE;
            final Burst burst = new Burst(country, device, channel);
            int size = 2;
            while (size < 10 && rng.bernoulli(0.7)) {
                size++;
            }
            long t = timeMs + 1 + (long) rng.exponential(BURST_FIRST_GAP_MEAN_MS);
            for (int i = 0; i < size; i++) {
                schedule(t, card.index(), burst);
                t += 1 + (long) rng.exponential(BURST_GAP_MEAN_MS);
            }
        }

        /** The parts of a payment decided before drift and labels are applied. */
        private record Draft(Channel channel, DemoWorld.Merchant merchant, double logAmount, String deviceId,
                             boolean foreign) {
        }

        private Draft legitimateDraft(final DemoWorld.Card card, final boolean drifted) {
            final double c = rng.uniform();
            final Channel channel;
            if (c < 0.06) {
                channel = Channel.ATM;
            } else if (c < 0.06 + card.onlineShare()) {
                channel = Channel.ONLINE;
            } else if (c < 0.18 + card.onlineShare()) {
                channel = Channel.MOBILE;
            } else {
                channel = Channel.POS;
            }
            String country = card.homeCountry();
            if (channel != Channel.ONLINE && rng.bernoulli(TRAVEL_PROBABILITY)) {
                country = DemoWorld.TRAVEL_COUNTRIES.get(rng.nextInt(DemoWorld.TRAVEL_COUNTRIES.size()));
            }
            if (drifted && config.scenario() == Scenario.NEW_COUNTRIES && rng.bernoulli(config.newCountryShare())) {
                country = DemoWorld.NEW_COUNTRIES.get(rng.nextInt(DemoWorld.NEW_COUNTRIES.size()));
            }
            final DemoWorld.Merchant merchant;
            final double logAmount;
            if (channel == Channel.ATM) {
                final int[] atms = world.cashByCountry.get(country);
                merchant = world.merchants.get(atms[rng.nextInt(atms.length)]);
                logAmount = card.logAmountMu() + 0.5 + 0.4 * rng.gaussian();
            } else {
                if (country.equals(card.homeCountry()) && channel != Channel.ONLINE && rng.bernoulli(0.75)) {
                    merchant = world.merchants.get(card.favouriteMerchants()[rng.nextInt(8)]);
                } else {
                    final int[] shops = world.shopsByCountry.get(country);
                    merchant = world.merchants.get(shops[rng.nextInt(shops.length)]);
                }
                final int category = DemoWorld.categoryIndex(merchant.category());
                logAmount = card.logAmountMu() + DemoWorld.CATEGORY_LOG_OFFSET[category]
                        + card.logAmountSigma() * rng.gaussian();
            }
            final String device = channel == Channel.ONLINE || channel == Channel.MOBILE
                    ? card.devices()[rng.nextInt(card.devices().length)] : null;
            return new Draft(channel, merchant, logAmount, device, !country.equals(card.homeCountry()));
        }

        private Draft burstDraft(final DemoWorld.Card card, final Burst burst) {
            final double c = rng.uniform();
            final Channel channel = c < 0.85 ? burst.preferredChannel() : c < 0.95 ? Channel.POS : Channel.ATM;
            final double k = rng.uniform();
            final String category;
            if (channel == Channel.ATM) {
                category = DemoWorld.CASH;
            } else if (k < 0.35) {
                category = "electronics";
            } else if (k < 0.65) {
                category = "gift_cards";
            } else if (k < 0.85) {
                category = "travel";
            } else {
                category = "retail";
            }
            final int[] candidates = channel == Channel.ATM
                    ? world.cashByCountry.get(burst.country()) : world.merchantsByCategory.get(category);
            final DemoWorld.Merchant merchant = channel == Channel.ATM
                    ? world.merchants.get(candidates[rng.nextInt(candidates.length)])
                    : pickInCountry(candidates, burst.country());
            final double offset = channel == Channel.ATM ? 0.5
                    : DemoWorld.CATEGORY_LOG_OFFSET[DemoWorld.categoryIndex(merchant.category())];
            final double logAmount = card.logAmountMu() + offset + 1.0 + 0.5 * rng.gaussian();
            final String device = channel == Channel.ONLINE || channel == Channel.MOBILE ? burst.device() : null;
            return new Draft(channel, merchant, logAmount, device, !burst.country().equals(card.homeCountry()));
        }

        /** A merchant of the wanted category in the burst's country when one exists, else any of the category. */
        private DemoWorld.Merchant pickInCountry(final int[] candidates, final String country) {
            final int from = rng.nextInt(candidates.length);
            for (int i = 0; i < candidates.length; i++) {
                final DemoWorld.Merchant m = world.merchants.get(candidates[(from + i) % candidates.length]);
                if (m.country().equals(country)) {
                    return m;
                }
            }
            return world.merchants.get(candidates[from]);
        }

        private double isolatedFraudProbability(final Draft draft, final DemoWorld.Card card) {
            final double amountZ = (draft.logAmount() - card.logAmountMu()) / card.logAmountSigma();
            final double logit = -7.0
                    + (DemoWorld.HIGH_RISK_CATEGORIES.contains(draft.merchant().category()) ? 1.8 : 0.0)
                    + (draft.channel() == Channel.ONLINE ? 1.0 : 0.0)
                    + (draft.foreign() ? 1.5 : 0.0)
                    + 0.8 * Math.max(0.0, amountZ);
            return 1.0 / (1.0 + Math.exp(-logit));
        }

        private Transaction finish(final Draft draft, final DemoWorld.Card card, final long timeMs,
                                   final boolean drifted) {
            double logAmount = draft.logAmount();
            if (drifted && config.scenario() == Scenario.AMOUNT_SHIFT) {
                logAmount += config.amountShiftSigmas() * card.logAmountSigma();
            }
            double amount = Math.exp(logAmount);
            amount = draft.channel() == Channel.ATM
                    ? Math.max(20.0, 20.0 * Math.round(amount / 20.0))
                    : Math.max(0.5, Math.round(amount * 100.0) / 100.0);
            String device = draft.deviceId();
            if (drifted && config.scenario() == Scenario.NULL_SPIKE && device != null
                    && rng.bernoulli(config.nullSpikeRate())) {
                device = null;
            }
            final String country = draft.merchant().country();
            return Transaction.newBuilder()
                    .setEventId(uuid())
                    .setCardId(card.id())
                    .setEventTime(Instant.ofEpochMilli(timeMs))
                    .setAmount(amount)
                    .setCurrency(DemoWorld.CURRENCY.get(country))
                    .setMerchantId(draft.merchant().id())
                    .setMerchantCategory(draft.merchant().category())
                    .setCountry(country)
                    .setChannel(draft.channel())
                    .setDeviceId(device)
                    .setCustomerEmail(card.email())
                    .build();
        }

        private String uuid() {
            final long msb = (rng.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
            final long lsb = (rng.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
            return new UUID(msb, lsb).toString();
        }

        private Optional<Label> label(final Transaction txn, final boolean fraud) {
            final boolean missing = rng.bernoulli(config.missingLabelFraction());
            final double delayMs = config.labelDelayMedian().toMillis()
                    * Math.exp(config.labelDelaySigma() * rng.gaussian());
            if (missing) {
                return Optional.empty();
            }
            final long eventMs = txn.getEventTime().toEpochMilli();
            final long labelMs = eventMs + Math.max(1L, Math.round(delayMs));
            if (config.scenario() == Scenario.LABEL_OUTAGE && labelMs >= onsetMs) {
                return Optional.empty();
            }
            return Optional.of(Label.newBuilder()
                    .setEventId(txn.getEventId())
                    .setEntityId(txn.getCardId())
                    .setLabel(fraud ? 1 : 0)
                    .setLabelTime(Instant.ofEpochMilli(labelMs))
                    .setEventTime(txn.getEventTime())
                    .setSource(fraud ? "chargeback" : "settlement")
                    .build());
        }
    }

    /** Merges transactions (event time) with their labels (label time) through a bounded buffer of pending labels. */
    private static final class TimelineIterator implements Iterator<TimedRecord> {
        private record PendingLabel(long timeMs, long seq, Label label) {
        }

        private final Iterator<SyntheticRecord> records;
        private final PriorityQueue<PendingLabel> labels = new PriorityQueue<>(
                Comparator.comparingLong(PendingLabel::timeMs).thenComparingLong(PendingLabel::seq));
        private SyntheticRecord lookahead;
        private long seq;

        TimelineIterator(final Iterator<SyntheticRecord> records) {
            this.records = records;
        }

        @Override
        public boolean hasNext() {
            return lookahead != null || records.hasNext() || !labels.isEmpty();
        }

        @Override
        public TimedRecord next() {
            if (lookahead == null && records.hasNext()) {
                lookahead = records.next();
            }
            if (lookahead == null) {
                final PendingLabel pending = labels.poll();
                if (pending == null) {
                    throw new NoSuchElementException("timeline exhausted");
                }
                return TimedRecord.of(pending.label());
            }
            final long txnMs = lookahead.transaction().getEventTime().toEpochMilli();
            final PendingLabel head = labels.peek();
            if (head != null && head.timeMs() <= txnMs) {
                return TimedRecord.of(labels.poll().label());
            }
            final SyntheticRecord current = lookahead;
            lookahead = null;
            current.label().ifPresent(l -> labels.add(new PendingLabel(l.getLabelTime().toEpochMilli(), seq++, l)));
            return TimedRecord.of(current.transaction());
        }
    }
}
