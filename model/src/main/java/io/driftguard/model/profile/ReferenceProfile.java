package io.driftguard.model.profile;

import java.util.List;
import java.util.Optional;

/**
 * What "normal" looked like when the model was trained; the drift monitor compares live windows with it.
 * Features are profiled on the training split, scores on the validation split (out-of-sample scores).
 */
public record ReferenceProfile(List<NumericProfile> numeric, List<CategoricalProfile> categorical,
    ScoreProfile scores) {

  public ReferenceProfile {
    numeric = List.copyOf(numeric);
    categorical = List.copyOf(categorical);
  }

  public Optional<NumericProfile> numeric(final String name) {
    return numeric.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public Optional<CategoricalProfile> categorical(final String name) {
    return categorical.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
