package io.driftguard.platform.app;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the cluster to describe itself every interval, on one daemon thread, so readiness can say whether the brokers
 * answer. Kafka Streams stays RUNNING through a broker outage (its clients just retry), so its state alone would keep
 * an app "ready" that cannot process anything.
 */
final class BrokerProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerProbe.class);

    private final Admin admin;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler;
    private volatile boolean reachable;

    private BrokerProbe(final Admin admin, final Duration interval, final Duration timeout, final String name) {
        this.admin = admin;
        this.timeout = timeout;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, name + "-broker-probe");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @param clientProperties the app's Kafka client settings (bootstrap servers, security), as its Streams clients
     *     use them
     * @param interval time between probes
     * @param timeout how long one probe may wait for an answer before the brokers count as unreachable
     * @param name names the probe thread
     */
    static BrokerProbe start(final Properties clientProperties, final Duration interval, final Duration timeout,
                             final String name) {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, name + "-broker-probe");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return new BrokerProbe(Admin.create(props), interval, timeout, name);
    }

    /** True when the last probe got an answer from the cluster. */
    boolean reachable() {
        return reachable;
    }

    private void probe() {
        final boolean was = reachable;
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).clusterId()
                .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            reachable = true;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            reachable = false;
        } catch (final Exception e) {
            reachable = false;
        }
        if (was != reachable) {
            LOG.info("brokers are {}", reachable ? "reachable" : "unreachable: readiness is DOWN until they answer");
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
