package io.driftguard.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What every long-running command shares: Ctrl-C or SIGTERM asks it to stop so it can close cleanly and exit 0; if the
 * JVM exits anyway (signals not ours), a shutdown hook asks it to stop and waits for it to close; tests wait until it
 * is up and then stop it.
 *
 * @param <T> what the command runs (an app, a stack), handed to tests once up
 */
final class Lifecycle<T> {

    /** Undoes {@link #takeOverSignals()}. */
    interface Guard extends AutoCloseable {
        @Override
        void close();
    }

    private final String name;
    private final Duration closeWait;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch up = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile T running;

    /**
     * @param name names the shutdown-hook thread
     * @param closeWait how long a JVM shutdown waits for the command to close
     */
    Lifecycle(final String name, final Duration closeWait) {
        this.name = name;
        this.closeWait = closeWait;
    }

    /** Routes SIGINT/SIGTERM and JVM shutdown to {@link #stop()} until the guard is closed. */
    Guard takeOverSignals() {
        final Signals signals = Signals.onStop(this::stop);
        final Thread hook = new Thread(this::stopAndWait, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (final IllegalStateException e) {
                // the JVM is shutting down and the hook runs: it waits for 'closed'
            }
            signals.close();
        };
    }

    /** Marks the command up, with what it runs. */
    void up(final T resource) {
        running = resource;
        up.countDown();
    }

    /** True once asked to stop; waits at most {@code poll}. */
    boolean awaitStop(final Duration poll) throws InterruptedException {
        return stop.await(poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Blocks until asked to stop. */
    void awaitStop() throws InterruptedException {
        stop.await();
    }

    /** Marks the command closed; call it last, in a finally block. */
    void closed() {
        running = null;
        closed.countDown();
    }

    /** Asks the command to stop. */
    void stop() {
        stop.countDown();
    }

    /** Waits until the command is up; returns what it runs, or null on timeout. */
    T awaitUp(final Duration timeout) throws InterruptedException {
        return up.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? running : null;
    }

    private void stopAndWait() {
        stop();
        try {
            closed.await(closeWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
