package io.driftguard.platform.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One Prometheus registry per app, with common tags {@code app} and {@code instance} (plus any the app adds, e.g.
 * {@code model_name}) set before any meter, and the JVM, processor and uptime binders bound.
 */
public final class AppMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final PlatformMetrics platform;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private AppMetrics(final PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.platform = PlatformMetrics.boundTo(registry);
    }

    /** A registry tagged {@code app}, {@code instance} and {@code extraTags}, with JVM/system binders bound. */
    public static AppMetrics create(final String app, final String instance, final Tag... extraTags) {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(Tags.of("app", app, "instance", instance).and(extraTags));
        final AppMetrics metrics = new AppMetrics(registry);
        new JvmMemoryMetrics().bindTo(registry);
        final JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        metrics.closeables.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return metrics;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** platform-core's own meters (dead letters). */
    public PlatformMetrics platform() {
        return platform;
    }

    /** Binds a module's {@link MeterBinder}; closes it with this registry if it is {@link AutoCloseable}. */
    public AppMetrics bind(final MeterBinder binder) {
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable closeable) {
            closeables.add(closeable);
        }
        return this;
    }

    /** Binds Kafka Streams' internal metrics of {@code streams}. */
    public AppMetrics bindStreams(final KafkaStreams streams) {
        return bind(new KafkaStreamsMetrics(streams));
    }

    @Override
    public void close() {
        for (final AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (final Exception e) {
                // closing binders must not stop the registry from closing
                org.slf4j.LoggerFactory.getLogger(AppMetrics.class).debug("closing {} failed", closeable, e);
            }
        }
        registry.close();
    }
}
