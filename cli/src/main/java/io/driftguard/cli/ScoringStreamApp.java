package io.driftguard.cli;

import io.driftguard.features.FeatureApp;
import io.driftguard.features.FeatureSet;
import io.driftguard.features.FeatureStreamSettings;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.bundle.BundleVerificationException;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.platform.config.ConfigException;
import io.driftguard.platform.config.LoadedConfig;
import io.driftguard.scoring.ScoringApp;
import io.driftguard.scoring.ScoringConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code run scoring-stream}: {@link ScoringApp} from the {@value #SECTION} section and the feature set of the
 * {@value #FEATURES} section. Before anything starts it checks what would otherwise only show at run time as every
 * event scored by the fallback rule: the registry exists, the model is registered, and its champion (if any) was
 * trained on this feature set.
 */
final class ScoringStreamApp {

    /** The scoring section ({@link ScoringConfig}). */
    static final String SECTION = "scoring";
    /** The feature-set section: the same keys as feature-stream's, so both can name one set. */
    static final String FEATURES = FeatureApp.SECTION;

    static final Map<String, Class<? extends Record>> SECTIONS = Map.of(SECTION, ScoringConfig.class,
        FEATURES, FeatureSetSettings.class);

    /**
     * The {@code features:} section of a scoring config: which feature set the scorer looks vectors up with.
     *
     * @param featureSet {@code classpath:<resource>} or a path to the feature-set YAML; default: the demo set
     * @param eventSchema the events' Avro schema ({@code .avsc}); null for the class the set's {@code schema:} names
     */
    record FeatureSetSettings(String featureSet, Path eventSchema) {
        FeatureStreamSettings asFeatureStreamSettings() {
            return new FeatureStreamSettings(featureSet, eventSchema, null, null);
        }
    }

    private ScoringStreamApp() {
    }

    static RunnableApp.Built create(final LoadedConfig loaded) {
        final ScoringConfig scoring = loaded.section(SECTION, ScoringConfig.class);
        final FeatureSet featureSet = FeatureApp.loadFeatureSet(
            loaded.section(FEATURES, FeatureSetSettings.class).asFeatureStreamSettings());
        checkModel(scoring, featureSet);
        final ScoringApp app = ScoringApp.create(loaded.common(), scoring, featureSet);
        return RunnableApp.Built.of(app.streamsApp(), app::start, app::close);
    }

    private static void checkModel(final ScoringConfig scoring, final FeatureSet featureSet) {
        final Path dir = scoring.registryDir();
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(SECTION + ".registryDir", "no model registry at '" + dir + "' (a directory "
                + "'driftguard train --registry' wrote)");
        }
        final ModelRegistry registry = new ModelRegistry(dir, Clock.systemUTC());
        final Optional<ArtifactBundle> champion;
        try {
            final List<String> models = registry.models();
            if (!models.contains(scoring.modelName())) {
                throw new ConfigException(SECTION + ".modelName", "model '" + scoring.modelName()
                    + "' is not registered in '" + dir + "'; registered: " + models);
            }
            champion = registry.champion(scoring.modelName());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the model registry at " + dir, e);
        }
        // No champion is allowed: the scorer answers with the fallback rule until a PROMOTE arrives.
        champion.ifPresent(bundle -> {
            try {
                ArtifactBundle.load(bundle.dir(), featureSet.hash());
            } catch (final BundleVerificationException e) {
                throw new ConfigException(FEATURES + ".featureSet", "the champion of '" + scoring.modelName()
                    + "' cannot serve with feature set '" + featureSet.name() + "': " + e.getMessage());
            }
        });
    }
}
