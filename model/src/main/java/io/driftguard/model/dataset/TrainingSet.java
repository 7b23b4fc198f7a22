package io.driftguard.model.dataset;

import io.driftguard.model.Dataset;
import java.util.Objects;

/**
 * A point-in-time-correct training set.
 *
 * @param dataset rows in event arrival order: feature-set features (feature-set order) then the event-field
 *     inputs, labels, event times, event ids, slice columns; its {@code featureSetHash} is the feature set's hash
 * @param snapshotId SHA-256 over the raw inputs (every event and label), the feature-set hash, the builder config
 *     and the resulting rows: equal inputs and config give an equal id, any change gives another
 * @param config the config it was built with
 * @param stats where every input went
 */
public record TrainingSet(Dataset dataset, String snapshotId, TrainingSetConfig config, TrainingSetStats stats) {
  public TrainingSet {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(snapshotId, "snapshotId");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(stats, "stats");
  }
}
