package io.driftguard.scoring;

/**
 * The declared last resort when no model can score: a constant score and the threshold it is decided at.
 *
 * @param name written to {@code Prediction.modelVersion} so rule predictions are never mistaken for a model's
 * @param score the score given, in [0, 1]
 * @param threshold the decision threshold applied to it, in [0, 1]
 */
public record FallbackRule(String name, double score, double threshold) {
  public FallbackRule {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("fallback rule name must not be blank");
    }
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("fallback rule score must be in [0,1], was " + score);
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("fallback rule threshold must be in [0,1], was " + threshold);
    }
  }

  /** Score 0 at threshold 0.5: an unscorable event is let through as NEGATIVE. */
  public static FallbackRule defaults() {
    return new FallbackRule("default-rule", 0.0, 0.5);
  }
}
