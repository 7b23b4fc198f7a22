package io.driftguard.features;

import java.time.Duration;
import java.util.Objects;

/**
 * An event-time window, read "as of t" (t = the timestamp of the vector being computed). Every range is inclusive of t.
 *
 * <ul>
 *   <li>{@code SLIDING}: events with timestamp in {@code (t - size, t]}.
 *   <li>{@code TUMBLING}: the epoch-aligned window {@code [floor(t/size)*size, ...)} that contains t, up to t:
 *       {@code [floor(t/size)*size, t]}.
 *   <li>{@code HOPPING}: of the epoch-aligned windows {@code [k*advance, k*advance + size)} that contain t, the one that
 *       started earliest (the longest history), up to t: {@code [s, t]} with s the smallest multiple of advance greater
 *       than {@code t - size}.
 * </ul>
 *
 * <p>Grace is how far behind stream time an event may arrive and still update this feature.
 */
public record WindowSpec(Type type, Duration size, Duration advance, Duration grace) {

  /** The window kinds. */
  public enum Type { TUMBLING, HOPPING, SLIDING }

  public WindowSpec {
    Objects.requireNonNull(type, "window type");
    Objects.requireNonNull(size, "window size");
    grace = grace == null ? Duration.ZERO : grace;
    if (size.isNegative() || size.isZero()) {
      throw new IllegalArgumentException("window size must be positive, got " + size);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("window grace must not be negative, got " + grace);
    }
    if (type == Type.HOPPING) {
      Objects.requireNonNull(advance, "hopping window needs an advance");
      if (advance.isNegative() || advance.isZero()) {
        throw new IllegalArgumentException("window advance must be positive, got " + advance);
      }
      if (size.compareTo(advance) < 0) {
        throw new IllegalArgumentException("window size " + size + " is smaller than its advance " + advance);
      }
    } else if (advance != null) {
      throw new IllegalArgumentException("only hopping windows take an advance (" + type + ")");
    }
  }

  /** First timestamp (inclusive) of the window as of {@code t}; the last is t itself. */
  public long startInclusive(final long t) {
    final long sizeMs = size.toMillis();
    return switch (type) {
      case SLIDING -> t - sizeMs + 1;
      case TUMBLING -> Math.floorDiv(t, sizeMs) * sizeMs;
      case HOPPING -> {
        final long advanceMs = advance.toMillis();
        yield (Math.floorDiv(t - sizeMs, advanceMs) + 1) * advanceMs;
      }
    };
  }
}
