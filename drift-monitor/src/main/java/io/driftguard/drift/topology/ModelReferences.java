package io.driftguard.drift.topology;

import io.driftguard.drift.stats.DriftThresholds;
import io.driftguard.model.registry.ModelRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference profiles per (model name, version), loaded from the model registry directory (each bundle is verified by
 * the bundle loader) and cached per version. A version that is not (yet) registered is looked up again at most once
 * a minute, so an unknown version does not hit the file system on every record.
 */
public final class ModelReferences {

    private static final Logger LOG = LoggerFactory.getLogger(ModelReferences.class);
    static final Duration RETRY_MISSING = Duration.ofMinutes(1);

    private final ModelRegistry registry;
    private final DriftThresholds thresholds;
    private final ModelReference.Calibration calibration;
    private final Clock clock;
    private final Map<String, ModelReference> cache = new ConcurrentHashMap<>();
    private final Map<String, Instant> missing = new ConcurrentHashMap<>();

    public ModelReferences(final ModelRegistry registry, final DriftThresholds thresholds,
            final ModelReference.Calibration calibration, final Clock clock) {
        if (registry == null || thresholds == null || calibration == null || clock == null) {
            throw new IllegalArgumentException("registry, thresholds, calibration and clock: must not be null");
        }
        this.registry = registry;
        this.thresholds = thresholds;
        this.calibration = calibration;
        this.clock = clock;
    }

    /** The base thresholds (used for features whose reference has none of its own). */
    public DriftThresholds thresholds() {
        return thresholds;
    }

    /** The reference of a version, or empty when the registry has no usable bundle for it. */
    public Optional<ModelReference> find(final String modelName, final String version) {
        final String key = modelName + '\u0000' + version;
        final ModelReference cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        final Instant now = clock.instant();
        final Instant lastMiss = missing.get(key);
        if (lastMiss != null && now.isBefore(lastMiss.plus(RETRY_MISSING))) {
            return Optional.empty();
        }
        try {
            final ModelReference reference = ModelReference.fromManifest(
                    registry.show(modelName, version).manifest(), thresholds, calibration);
            cache.put(key, reference);
            missing.remove(key);
            LOG.info("loaded reference profile of model {} version {}: {} numeric, {} categorical features",
                    modelName, version, reference.numeric().size(), reference.categorical().size());
            return Optional.of(reference);
        } catch (RuntimeException e) {
            missing.put(key, now);
            LOG.warn("no reference profile for model {} version {} in registry {}: {}", modelName, version,
                    registry.root(), e.getMessage());
            return Optional.empty();
        }
    }
}
