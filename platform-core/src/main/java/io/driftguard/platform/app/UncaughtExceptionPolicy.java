package io.driftguard.platform.app;

import io.driftguard.schemas.registry.SchemaRegistryException;
import io.driftguard.schemas.serde.AvroSerdeException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transient failures (Kafka retriable errors, I/O, schema-registry outages) replace the stream thread, which resumes
 * from the last commit; anything else shuts the client down. More than {@code maxReplacements} replacements within
 * {@code window} is treated as fatal too, so a permanent fault does not spin forever.
 */
final class UncaughtExceptionPolicy implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UncaughtExceptionPolicy.class);

    private final int maxReplacements;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> replacements = new ArrayDeque<>();

    UncaughtExceptionPolicy(final int maxReplacements, final Duration window, final Clock clock) {
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(final Throwable exception) {
        if (!isTransient(exception)) {
            LOG.error("fatal error in a stream thread; shutting down this Kafka Streams client", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        final Instant now = clock.instant();
        while (!replacements.isEmpty() && replacements.peekFirst().isBefore(now.minus(window))) {
            replacements.removeFirst();
        }
        if (replacements.size() >= maxReplacements) {
            LOG.error("transient error, but {} stream threads were already replaced within {}; shutting down",
                replacements.size(), window, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        LOG.warn("transient error in a stream thread; replacing the thread", exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    static boolean isTransient(final Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof RetriableException || t instanceof IOException) {
                return true;
            }
            // Under exactly-once a new thread aborts the open transaction and resumes from the last commit, so a
            // transaction that timed out or was fenced on a slow machine is no reason to stop the app.
            if (t instanceof InvalidTxnStateException || t instanceof ProducerFencedException
                || t instanceof InvalidProducerEpochException || t instanceof TaskMigratedException) {
                return true;
            }
            if (t instanceof AvroSerdeException serde
                && serde.problem() == AvroSerdeException.Problem.CONFIGURATION) {
                return false;
            }
            if (t instanceof SchemaRegistryException registryError) {
                return !registryError.isNotFound() && registryError.httpStatus() != 401
                    && registryError.httpStatus() != 403;
            }
        }
        return false;
    }
}
