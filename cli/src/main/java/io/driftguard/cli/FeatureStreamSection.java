package io.driftguard.cli;

import io.driftguard.avro.Transaction;
import io.driftguard.features.FeatureApp;
import io.driftguard.features.FeatureSet;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.ConfigException;
import io.driftguard.platform.config.LoadedConfig;
import java.nio.file.Path;

/**
 * The {@code featureStream} config section of {@code driftguard run feature-stream}: which feature definitions to
 * run ({@code DRIFTGUARD_FEATURE_STREAM_FEATURE_SET} overrides it).
 *
 * @param featureSet a feature-set YAML file, or {@code classpath:<resource>}; default the demo Transaction features
 */
record FeatureStreamSection(String featureSet) {

    static final String NAME = "featureStream";
    static final String DEFAULT = "classpath:" + FeatureSet.TRANSACTIONS_RESOURCE;

    FeatureStreamSection {
        featureSet = featureSet == null || featureSet.isBlank() ? DEFAULT : featureSet.trim();
    }

    /** The feature-stream app; a feature set that does not load stops start-up naming the key. */
    static StreamsApp create(final LoadedConfig loaded) {
        final FeatureStreamSection section = loaded.section(NAME, FeatureStreamSection.class);
        final FeatureSet set;
        try {
            set = section.featureSet.startsWith("classpath:")
                ? FeatureSet.loadResource(section.featureSet.substring("classpath:".length()),
                    Transaction.getClassSchema())
                : FeatureSet.load(Path.of(section.featureSet), Transaction.getClassSchema());
        } catch (final IllegalArgumentException | java.io.UncheckedIOException e) {
            final String why = e instanceof java.io.UncheckedIOException u && u.getCause() != null
                ? e.getMessage() + " (" + u.getCause().getClass().getSimpleName() + ")" : e.getMessage();
            throw new ConfigException(NAME + ".featureSet", "'" + section.featureSet + "' does not load: " + why);
        }
        return FeatureApp.create(loaded.common(), set);
    }
}
