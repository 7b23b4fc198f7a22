package io.driftguard.scoring;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which versions of one model serve which arm, as a task last applied it from {@code model-control}.
 *
 * @param modelName registered model name
 * @param champion version serving decisions, or null when no model is known (every event then uses the rule)
 * @param knownGood earlier champions, oldest first; ROLLBACK returns to the last one
 * @param canary canary version, or null
 * @param canaryPercent share of entities routed to the canary, in (0, 100], or 0 without a canary
 * @param shadow shadow version, or null
 * @param appliedOffset offset on {@code model-control} of the last command applied or refused (-1 = none)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RolloutState(String modelName, String champion, List<String> knownGood, String canary,
    double canaryPercent, String shadow, long appliedOffset) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public RolloutState {
    if (modelName == null || modelName.isBlank()) {
      throw new IllegalArgumentException("rollout state needs a modelName");
    }
    knownGood = knownGood == null ? List.of() : List.copyOf(knownGood);
    if (canary == null) {
      canaryPercent = 0;
    } else if (!(canaryPercent > 0 && canaryPercent <= 100)) {
      throw new IllegalArgumentException("canaryPercent must be in (0, 100] for canary " + canary + ", was "
          + canaryPercent);
    }
  }

  /** The last known-good version ROLLBACK returns to, or null. */
  public String previous() {
    return knownGood.isEmpty() ? null : knownGood.get(knownGood.size() - 1);
  }

  RolloutState promote(final String version, final long offset) {
    final List<String> stack = new ArrayList<>(knownGood);
    if (champion != null && !champion.equals(version)) {
      stack.add(champion);
    }
    // A canary or shadow of the promoted version has done its job.
    final String newCanary = version.equals(canary) ? null : canary;
    final String newShadow = version.equals(shadow) ? null : shadow;
    return new RolloutState(modelName, version, stack, newCanary, newCanary == null ? 0 : canaryPercent, newShadow,
        offset);
  }

  RolloutState rollback(final long offset) {
    final List<String> stack = new ArrayList<>(knownGood);
    final String back = stack.remove(stack.size() - 1);
    return new RolloutState(modelName, back, stack, null, 0, null, offset);
  }

  RolloutState withCanary(final String version, final double percent, final long offset) {
    return new RolloutState(modelName, champion, knownGood, version, percent, shadow, offset);
  }

  RolloutState withShadow(final String version, final long offset) {
    return new RolloutState(modelName, champion, knownGood, canary, canaryPercent, version, offset);
  }

  RolloutState cleared(final long offset) {
    return new RolloutState(modelName, champion, knownGood, null, 0, null, offset);
  }

  RolloutState atOffset(final long offset) {
    return new RolloutState(modelName, champion, knownGood, canary, canaryPercent, shadow, offset);
  }

  byte[] toBytes() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode rollout state of " + modelName, e);
    }
  }

  static RolloutState fromBytes(final byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    try {
      return JSON.readValue(bytes, RolloutState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a rollout state: " + e.getMessage(), e);
    }
  }
}
