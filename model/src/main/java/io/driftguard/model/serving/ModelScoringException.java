package io.driftguard.model.serving;

/** The model could not be loaded or could not score; the scorer treats this as MODEL_ERROR. */
public final class ModelScoringException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelScoringException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
