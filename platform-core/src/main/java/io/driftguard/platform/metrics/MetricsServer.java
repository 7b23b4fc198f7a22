package io.driftguard.platform.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's HTTP endpoint on the JDK HttpServer.
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text, or OpenMetrics when the Accept header asks for it;</li>
 *   <li>{@code GET /health}: liveness, 200 while the process serves HTTP;</li>
 *   <li>{@code GET /health/ready}: 200 only while Kafka Streams is RUNNING and the brokers answer, else 503; JSON
 *   body with the state and broker reachability.</li>
 * </ul>
 * Apps mount their own handlers on the same server with {@link #mount}.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    private static final String OPENMETRICS = "application/openmetrics-text";
    private static final String JSON = "application/json";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private volatile Supplier<KafkaStreams.State> readiness = () -> null;
    private volatile BooleanSupplier brokersReachable = () -> true;

    private MetricsServer(final HttpServer server, final ExecutorService executor,
                          final PrometheusMeterRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
    }

    /**
     * Binds and starts the server.
     *
     * @param port 0 picks a free port (see {@link #port()})
     * @throws UncheckedIOException naming host and port if it cannot bind (e.g. the port is in use)
     */
    public static MetricsServer start(final String host, final int port, final PrometheusMeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (final BindException e) {
            throw new UncheckedIOException("metrics port " + port + " on " + host + " is already in use "
                + "(config key metrics.port)", e);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start the metrics server on " + host + ":" + port + ": "
                + e.getMessage(), e);
        }
        final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            final Thread thread = new Thread(r, "driftguard-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        final MetricsServer metricsServer = new MetricsServer(server, executor, registry);
        server.createContext("/metrics", metricsServer::metrics);
        server.createContext("/health", metricsServer::health);
        server.start();
        LOG.info("metrics and health on http://{}:{}/metrics", host, metricsServer.port());
        return metricsServer;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Where readiness comes from: the Kafka Streams state (null = not started yet, not ready). */
    public void readiness(final Supplier<KafkaStreams.State> state) {
        readiness(state, () -> true);
    }

    /**
     * Readiness from the Kafka Streams state and whether the brokers answer: ready only while Streams is RUNNING and
     * the brokers are reachable (Streams stays RUNNING through a broker outage).
     */
    public void readiness(final Supplier<KafkaStreams.State> state, final BooleanSupplier brokersReachable) {
        this.readiness = Objects.requireNonNull(state, "state");
        this.brokersReachable = Objects.requireNonNull(brokersReachable, "brokersReachable");
    }

    /**
     * Mounts an app handler under {@code pathPrefix} (JDK HttpServer prefix matching: {@code /features/} serves
     * {@code /features/card-1}). The handler parses its path and method itself.
     */
    public void mount(final String pathPrefix, final HttpHandler handler) {
        if (pathPrefix.equals("/metrics") || pathPrefix.startsWith("/health")) {
            throw new IllegalArgumentException("path " + pathPrefix + " is reserved by the metrics server");
        }
        server.createContext(pathPrefix, handler);
    }

    private void metrics(final HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/metrics")) {
            respond(exchange, 404, JSON, "{\"error\":\"not found\"}");
            return;
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, JSON, "{\"error\":\"method not allowed\"}");
            return;
        }
        final String accept = exchange.getRequestHeaders().getFirst("Accept");
        final boolean openMetrics = accept != null && accept.toLowerCase(Locale.ROOT).contains(OPENMETRICS);
        final String contentType = openMetrics ? OPENMETRICS + "; version=1.0.0; charset=utf-8"
            : "text/plain; version=0.0.4; charset=utf-8";
        respond(exchange, 200, contentType, registry.scrape(contentType));
    }

    private void health(final HttpExchange exchange) throws IOException {
        final String path = exchange.getRequestURI().getPath();
        if (!"GET".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, JSON, "{\"error\":\"method not allowed\"}");
        } else if (path.equals("/health") || path.equals("/health/")) {
            respond(exchange, 200, JSON, "{\"status\":\"UP\"}");
        } else if (path.equals("/health/ready")) {
            final KafkaStreams.State state = readiness.get();
            final String name = state == null ? "NOT_STARTED" : state.name();
            final boolean brokers = brokersReachable.getAsBoolean();
            final boolean ready = state == KafkaStreams.State.RUNNING && brokers;
            respond(exchange, ready ? 200 : 503, JSON, "{\"status\":\"" + (ready ? "UP" : "DOWN") + "\",\"state\":\""
                + name + "\",\"brokers\":\"" + (brokers ? "reachable" : "unreachable") + "\"}");
        } else {
            respond(exchange, 404, JSON, "{\"error\":\"not found\"}");
        }
    }

    private static void respond(final HttpExchange exchange, final int status, final String contentType,
                                final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
