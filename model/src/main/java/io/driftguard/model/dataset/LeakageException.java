package io.driftguard.model.dataset;

/**
 * A feature vector offered for an event reflects something that happened at or after the event's own time: using it
 * would train on the future. The message names the event, the feature and both times.
 */
public final class LeakageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LeakageException(final String message) {
    super(message);
  }
}
