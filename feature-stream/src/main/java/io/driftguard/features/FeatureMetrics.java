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
 * The feature topology's meters, all tagged {@code feature_set} (the list with types and units is in
 * docs/features.md). Dead letters are not here: they count in platform-core's {@code driftguard.dead.letters}
 * through {@link io.driftguard.platform.deadletter.DeadLetters}, so one query covers every app. SLA breaches are kept
 * per input partition (one task each) and summed by the gauge, so tasks on several threads never overwrite each other.
 */
final class FeatureMetrics implements MeterBinder {
  static final String VECTORS = "driftguard.feature.vectors.emitted";
  static final String EXPIRED = "driftguard.feature.entities.expired";
  static final String INCOMPATIBLE = "driftguard.feature.state.incompatible";
  static final String FRESHNESS_LAG = "driftguard.feature.freshness.lag";
  static final String SLA_BREACHED = "driftguard.feature.sla.breached.entities";
  static final String TAG_FEATURE_SET = "feature_set";
  static final String TAG_FEATURE = "feature";

  private final String featureSet;
  private final List<String> features;
  private final Map<Integer, long[]> breachesByPartition = new ConcurrentHashMap<>();
  private Counter vectors;
  private Counter expired;
  private Counter incompatible;
  private Timer lag;

  FeatureMetrics(final FeatureSet set) {
    this.featureSet = set.name();
    this.features = set.featureNames();
  }

  @Override
  public void bindTo(final MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    // No baseUnit on counters and gauges: Prometheus would append it to the name (..._emitted_vectors_total).
    vectors = Counter.builder(VECTORS)
        .description("Feature vectors emitted to the features topic, one per accepted event")
        .tag(TAG_FEATURE_SET, featureSet).register(registry);
    expired = Counter.builder(EXPIRED).description("Idle entities whose state the expiry punctuator deleted")
        .tag(TAG_FEATURE_SET, featureSet).register(registry);
    incompatible = Counter.builder(INCOMPATIBLE)
        .description("Stored entity states dropped because another feature-set definition wrote them")
        .tag(TAG_FEATURE_SET, featureSet).register(registry);
    lag = Timer.builder(FRESHNESS_LAG)
        .description("Wall-clock time of emitting a feature vector minus the event time it is stamped with")
        .tag(TAG_FEATURE_SET, featureSet)
        .publishPercentiles(0.5, 0.95, 0.99)
        .publishPercentileHistogram()
        .register(registry);
    for (int i = 0; i < features.size(); i++) {
      final int index = i;
      Gauge.builder(SLA_BREACHED, this, m -> m.breached(index))
          .description("Entities whose current value of this feature is older (as-of time vs. wall clock) than the "
              + "feature's freshness SLA, as of the last wall-clock check")
          .tag(TAG_FEATURE_SET, featureSet)
          .tag(TAG_FEATURE, features.get(i))
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
}
