package io.driftguard.features;

/** A feature-set definition was refused; the message names the feature and key at fault. */
public final class FeatureSetException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  FeatureSetException(final String message) {
    super(message);
  }

  FeatureSetException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
