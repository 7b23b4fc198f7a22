package io.driftguard.platform.metrics;

import io.driftguard.platform.deadletter.ReasonCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/** platform-core's meters: {@code driftguard.dead.letters} (tags {@code stage}, {@code reason}). */
public final class PlatformMetrics implements MeterBinder {

    public static final String DEAD_LETTERS = "driftguard.dead.letters";

    private volatile MeterRegistry registry;

    /** A binder already bound to {@code registry}. */
    public static PlatformMetrics boundTo(final MeterRegistry registry) {
        final PlatformMetrics metrics = new PlatformMetrics();
        metrics.bindTo(registry);
        return metrics;
    }

    @Override
    public void bindTo(final MeterRegistry meterRegistry) {
        this.registry = Objects.requireNonNull(meterRegistry, "meterRegistry");
    }

    /** Counts one dead letter. */
    public void deadLetter(final String stage, final ReasonCode reason) {
        final MeterRegistry bound = registry;
        if (bound == null) {
            throw new IllegalStateException("PlatformMetrics is not bound to a registry");
        }
        Counter.builder(DEAD_LETTERS)
            .description("Records sent to the dead-letters topic, by pipeline stage and reason code")
            .tag("stage", stage)
            .tag("reason", reason.name())
            .register(bound)
            .increment();
    }
}
