package io.driftguard.model.bundle;

/** A bundle failed verification: a missing, unexpected or tampered file, or a feature-contract mismatch. */
public final class BundleVerificationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BundleVerificationException(final String message) {
    super(message);
  }

  public BundleVerificationException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
