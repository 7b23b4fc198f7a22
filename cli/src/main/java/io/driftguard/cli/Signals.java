package io.driftguard.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Takes over SIGINT and SIGTERM while a long command runs, so Ctrl-C asks it to stop and it can finish cleanly and
 * exit 0 (a JVM shutdown would exit 130/143 and cut off in-flight work). Closing restores the previous handlers.
 */
final class Signals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private final Map<Signal, SignalHandler> previous = new HashMap<>();

    private Signals(final Runnable onStop) {
        for (final String name : List.of("INT", "TERM")) {
            try {
                final Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, s -> onStop.run()));
            } catch (final IllegalArgumentException e) {
                // e.g. SIGINT ignored by a non-interactive parent shell; the JVM's own shutdown then applies
                LOG.debug("cannot take over SIG{}: {}", name, e.getMessage());
            }
        }
    }

    static Signals onStop(final Runnable onStop) {
        return new Signals(onStop);
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
