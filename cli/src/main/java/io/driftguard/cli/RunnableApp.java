package io.driftguard.cli;

import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.LoadedConfig;
import java.util.Map;
import java.util.Objects;

/**
 * An app {@code driftguard run <name>} can start: its config sections and how to build it from the loaded config.
 *
 * @param name the subcommand name, e.g. {@code feature-stream}
 * @param description the first line of its help
 * @param sections app config sections beside the common keys (top-level key to record type)
 * @param factory builds the (not yet started) app; throws {@code ConfigException} naming the key on a bad setting
 */
record RunnableApp(String name, String description, Map<String, Class<? extends Record>> sections,
                   Factory factory) {

    /** Builds the app from validated config. */
    @FunctionalInterface
    interface Factory {
        Built create(LoadedConfig config);
    }

    /**
     * A built app: the {@link StreamsApp} the command watches (state, metrics port), how to start it, and how to
     * close everything it owns (an app may hold more than its Streams, e.g. scoring-stream's loaded models).
     */
    interface Built extends AutoCloseable {
        StreamsApp streamsApp();

        void start();

        @Override
        void close();

        /** An app that is just its {@link StreamsApp}. */
        static Built of(final StreamsApp app) {
            return of(app, app::start, app::close);
        }

        /** An app that wraps its {@link StreamsApp} with more to start and close (models, servers). */
        static Built of(final StreamsApp streamsApp, final Runnable start, final Runnable close) {
            return new Built() {
                @Override
                public StreamsApp streamsApp() {
                    return streamsApp;
                }

                @Override
                public void start() {
                    start.run();
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }

    RunnableApp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        sections = Map.copyOf(sections);
        Objects.requireNonNull(factory, "factory");
    }
}
