package io.driftguard.demo;

/** A bad demo option or an unusable port; the message names the option or port. Entry points exit 2 on it. */
public final class DemoUsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public DemoUsageException(final String message) {
    super(message);
  }
}
