package io.driftguard.reliability.support;

import io.driftguard.avro.Channel;
import io.driftguard.avro.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Seeded demo transactions: event {@code i} is the same on every run. Every {@code invalidEvery}-th event has a
 * negative amount, which the data contract refuses (dead letter, no prediction).
 *
 * @param seed random seed
 * @param idPrefix prefix of event ids, so runs and phases never share ids
 * @param cards number of distinct cards (entities)
 * @param start event time of event 0
 * @param step event time between consecutive events
 * @param invalidEvery every n-th event is invalid; 0 = none
 */
public record Transactions(long seed, String idPrefix, int cards, Instant start, Duration step, int invalidEvery) {
  public Transactions {
    if (cards < 1) {
      throw new IllegalArgumentException("cards must be >= 1, was " + cards);
    }
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("step must be positive, was " + step);
    }
    if (invalidEvery < 0) {
      throw new IllegalArgumentException("invalidEvery must be >= 0, was " + invalidEvery);
    }
  }

  public boolean isValid(final long i) {
    return invalidEvery == 0 || i % invalidEvery != invalidEvery - 1;
  }

  public String eventId(final long i) {
    return idPrefix + i;
  }

  /** Event {@code i}: derived from (seed, i) alone, so it can be rebuilt for the offline replay. */
  public Transaction event(final long i) {
    final SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + i);
    return Transaction.newBuilder()
        .setEventId(eventId(i))
        .setCardId("card-" + rnd.nextInt(cards))
        .setEventTime(start.plusMillis(step.toMillis() * i))
        .setAmount(isValid(i) ? Math.exp(3 + rnd.nextGaussian()) : -1.0)
        .setCurrency("EUR")
        .setMerchantId("m-" + rnd.nextInt(50))
        .setMerchantCategory(rnd.nextInt(4) == 0 ? "travel" : "grocery")
        .setCountry(rnd.nextInt(10) == 0 ? "FR" : "DE")
        .setChannel(rnd.nextBoolean() ? Channel.ONLINE : Channel.POS)
        .setDeviceId(null)
        .setCustomerEmail("person" + i + "@example.com")
        .build();
  }
}
