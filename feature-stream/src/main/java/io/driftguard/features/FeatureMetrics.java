package io.driftguard.features;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Meters of the feature topology. Dead letters use the platform-wide {@code driftguard.dead.letters} counter (tags
 * {@code stage}, {@code reason}) so one dashboard query covers every app.
 */
final class FeatureMetrics implements MeterBinder {
  static final String DEAD_LETTERS = io.driftguard.platform.metrics.PlatformMetrics.DEAD_LETTERS;
  static final String VECTORS = "feature.vectors.emitted";
  static final String EXPIRED = "feature.entities.expired";
  static final String INCOMPATIBLE = "feature.state.incompatible";

  private final String featureSet;
  private MeterRegistry registry;
  private Counter vectors;
  private Counter expired;
  private Counter incompatible;

  FeatureMetrics(final String featureSet) {
    this.featureSet = featureSet;
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
  }

  void vectorEmitted() {
    vectors.increment();
  }

  void entityExpired() {
    expired.increment();
  }

  void incompatibleState() {
    incompatible.increment();
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
