package io.driftguard.features;

/**
 * The outcome of checking one event. A rejected verdict names the field at fault (or null when no single field is) and
 * explains why; the message never contains the value of a PII field.
 */
public record Verdict(boolean valid, ReasonCode reasonCode, String field, String message) {
  private static final Verdict VALID = new Verdict(true, null, null, "valid");

  public Verdict {
    if (valid == (reasonCode != null)) {
      throw new IllegalArgumentException("a valid verdict has no reason code; a rejection needs one");
    }
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("verdict message is empty");
    }
  }

  /** The verdict for an acceptable event. */
  public static Verdict accepted() {
    return VALID;
  }

  /** A rejection for {@code field} (may be null). */
  public static Verdict rejected(final ReasonCode code, final String field, final String message) {
    return new Verdict(false, code, field, message);
  }
}
