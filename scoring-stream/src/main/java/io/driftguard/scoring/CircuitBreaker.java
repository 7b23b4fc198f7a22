package io.driftguard.scoring;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A per-version breaker: after {@code failureThreshold} consecutive failures it opens and refuses calls for
 * {@code openFor}; then one trial call is let through (half-open): success closes it, failure opens it again.
 * Not thread-safe: one per scoring thread and version, like the DJL session it guards.
 */
final class CircuitBreaker {
  enum State {
    CLOSED, OPEN, HALF_OPEN
  }

  private final int failureThreshold;
  private final long openForNanos;
  private final LongSupplier nanoTime;
  private int consecutiveFailures;
  private long openedAt;
  private State state = State.CLOSED;

  CircuitBreaker(final int failureThreshold, final Duration openFor, final LongSupplier nanoTime) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("breaker failureThreshold must be >= 1, was " + failureThreshold);
    }
    if (openFor == null || openFor.isNegative() || openFor.isZero()) {
      throw new IllegalArgumentException("breaker openFor must be positive, was " + openFor);
    }
    this.failureThreshold = failureThreshold;
    this.openForNanos = openFor.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Whether a call may go through now; an open breaker whose wait is over lets one trial call through. */
  boolean allowCall() {
    if (state == State.OPEN && nanoTime.getAsLong() - openedAt >= openForNanos) {
      state = State.HALF_OPEN;
    }
    return state != State.OPEN;
  }

  void onSuccess() {
    consecutiveFailures = 0;
    state = State.CLOSED;
  }

  void onFailure() {
    consecutiveFailures++;
    if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
      state = State.OPEN;
      openedAt = nanoTime.getAsLong();
    }
  }

  State state() {
    return state;
  }
}
