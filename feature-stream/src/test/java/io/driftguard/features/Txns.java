package io.driftguard.features;

import io.driftguard.avro.Channel;
import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Test data factories. */
final class Txns {
  static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final AtomicLong IDS = new AtomicLong();

  private Txns() {}

  static Transaction txn(final String card, final double amount, final Instant at) {
    return txn(card, amount, at, Channel.POS, "m-1", "DE");
  }

  static Transaction txn(final String card, final double amount, final Instant at, final Channel channel,
      final String merchant, final String country) {
    return Transaction.newBuilder()
        .setEventId("e-" + IDS.incrementAndGet())
        .setCardId(card)
        .setEventTime(at)
        .setAmount(amount)
        .setCurrency("EUR")
        .setMerchantId(merchant)
        .setMerchantCategory("grocery")
        .setCountry(country)
        .setChannel(channel)
        .setDeviceId(null)
        .setCustomerEmail("alice@example.com")
        .build();
  }

  static FeatureValue feature(final FeatureVector v, final String name) {
    return v.getFeatures().stream().filter(f -> f.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no feature " + name + " in " + v));
  }

  static Double value(final FeatureVector v, final String name) {
    return feature(v, name).getValue();
  }

  static Instant asOf(final FeatureVector v, final String name) {
    return feature(v, name).getAsOf();
  }
}
