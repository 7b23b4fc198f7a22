package io.driftguard.scoring;

import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.registry.Aliases;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.model.serving.ModelRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versions of one model this app may serve, loaded from the model registry. A version is loaded once per app
 * (DJL model), verified first (checksums and the feature-set hash the scorer's features carry); each stream thread
 * and the HTTP scorer then open their own {@link ModelRunner.Session}s. Thread-safe.
 */
public final class ModelCatalog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

  private final ModelRegistry registry;
  private final String modelName;
  private final String featureSetHash;
  private final Map<String, ModelRunner> runners = new ConcurrentHashMap<>();

  /**
   * @param registry where versions are registered
   * @param modelName the model this scorer serves
   * @param featureSetHash the hash of the feature set the scorer reads; a bundle expecting another is refused
   */
  public ModelCatalog(final ModelRegistry registry, final String modelName, final String featureSetHash) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.modelName = requireText(modelName, "modelName");
    this.featureSetHash = requireText(featureSetHash, "featureSetHash");
  }

  public String modelName() {
    return modelName;
  }

  public String featureSetHash() {
    return featureSetHash;
  }

  /**
   * The loaded runner of a version, loading and verifying it on first use.
   *
   * @throws io.driftguard.model.bundle.BundleVerificationException when the bundle fails its checks
   * @throws io.driftguard.model.serving.ModelScoringException when DJL cannot load it
   * @throws IllegalArgumentException when the version is not registered
   */
  public ModelRunner runner(final String version) {
    requireText(version, "version");
    final ModelRunner existing = runners.get(version);
    if (existing != null) {
      return existing;
    }
    synchronized (this) {
      final ModelRunner again = runners.get(version);
      if (again != null) {
        return again;
      }
      final ArtifactBundle registered = registry.show(modelName, version);
      final ArtifactBundle verified = ArtifactBundle.load(registered.dir(), featureSetHash);
      if (!verified.manifest().name().equals(modelName)) {
        throw new IllegalArgumentException("bundle " + verified.dir() + " is model '" + verified.manifest().name()
            + "', not '" + modelName + "'");
      }
      final ModelRunner runner = ModelRunner.open(verified);
      runners.put(version, runner);
      LOG.info("model {} version {} ready (artifact {})", modelName, version, verified.artifactSha256());
      return runner;
    }
  }

  /** The rollout state before any command: the registry's champion and known-good stack. */
  public RolloutState initialState() {
    try {
      final Aliases aliases = registry.aliases(modelName);
      return new RolloutState(modelName, aliases.champion(), aliases.knownGood(), null, 0, null, -1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the aliases of model " + modelName + " under "
          + registry.root(), e);
    }
  }

  @Override
  public synchronized void close() {
    runners.values().forEach(ModelRunner::close);
    runners.clear();
  }

  private static String requireText(final String value, final String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
