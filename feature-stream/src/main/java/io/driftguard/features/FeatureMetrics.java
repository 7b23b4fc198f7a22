package io.driftguard.features;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of the feature topology. Dead letters use the platform-wide {@code driftguard.dead.letters} counter (tags
 * {@code stage}, {@code reason}) so one dashboard query covers every app. SLA breaches are kept per input partition
 * (one task each) and summed by the gauge, so tasks on several threads do not overwrite each other.
 */
final class FeatureMetrics implements MeterBinder {
  static final String DEAD_LETTERS = io.driftguard.platform.metrics.PlatformMetrics.DEAD_LETTERS;
  static final String VECTORS = "feature.vectors.emitted";
  static final String EXPIRED = "feature.entities.expired";
  static final String INCOMPATIBLE = "feature.state.incompatible";
  static final String FRESHNESS_LAG = "feature.freshness.lag";
  static final String SLA_BREACHED = "feature.sla.breached.entities";

  private final String featureSet;
  private final List<String> features;
  private final Map<Integer, long[]> breachesByPartition = new ConcurrentHashMap<>();
  private MeterRegistry registry;
  private Counter vectors;
  private Counter expired;
  private Counter incompatible;
  private Timer lag;

  FeatureMetrics(final FeatureSet set) {
    this.featureSet = set.name();
    this.features = set.featureNames();
  }

  @Override
  public void bindTo(final MeterRegistry meterRegistry) {
    this.registry = Objects.requireNonNull(meterRegistry, "meterRegistry");
    vectors = Counter.builder(VECTORS).description("Feature vectors emitted, one per accepted event")
        .tag("feature_set", featureSet).register(registry);
    expired = Counter.builder(EXPIRED).description("Idle entities whose state was deleted by the expiry punctuator")
        .tag("feature_set", featureSet).register(registry);
    incompatible = Counter.builder(INCOMPATIBLE)
        .description("Stored entity states dropped because another feature-set definition wrote them")
        .tag("feature_set", featureSet).register(registry);
    lag = Timer.builder(FRESHNESS_LAG)
        .description("Wall-clock time of emitting a feature vector minus the event time it is stamped with")
        .tag("feature_set", featureSet)
        .publishPercentiles(0.5, 0.95, 0.99)
        .publishPercentileHistogram()
        .register(registry);
    for (int i = 0; i < features.size(); i++) {
      final int index = i;
      Gauge.builder(SLA_BREACHED, this, m -> m.breached(index))
          .description("Entities whose newest vector is older (wall clock) than this feature's freshness SLA")
          .tag("feature_set", featureSet)
          .tag("feature", features.get(i))
          .register(registry);
    }
  }

  void vectorEmitted(final long lagMs) {
    vectors.increment();
    lag.record(Duration.ofMillis(Math.max(0, lagMs)));
  }

  void entityExpired() {
    expired.increment();
  }

  void incompatibleState() {
    incompatible.increment();
  }

  void slaBreaches(final int partition, final long[] perFeature) {
    breachesByPartition.put(partition, perFeature.clone());
  }

  void forgetPartition(final int partition) {
    breachesByPartition.remove(partition);
  }

  double breached(final int featureIndex) {
    long sum = 0;
    for (final long[] counts : breachesByPartition.values()) {
      sum += counts[featureIndex];
    }
    return sum;
  }

  void deadLetter(final String stage, final ReasonCode reason) {
    Counter.builder(DEAD_LETTERS)
        .description("Records sent to the dead-letters topic, by pipeline stage and reason code")
        .tag("stage", stage)
        .tag("reason", reason.name())
        .register(registry)
        .increment();
  }
}
