package io.driftguard.scoring;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The newest rollout state any stream task of this instance has applied, for {@code POST /score}: tasks apply
 * commands at their own next event, so the HTTP path follows the task that got furthest in the control log.
 */
public final class LiveRollout {
  private final AtomicReference<RolloutState> current = new AtomicReference<>();

  /** Keeps {@code state} if it is newer (a higher applied offset) than the current one. */
  void offer(final RolloutState state) {
    current.accumulateAndGet(state, (old, neu) -> old == null || neu.appliedOffset() > old.appliedOffset() ? neu : old);
  }

  /** The current state, or null before any task started. */
  public RolloutState current() {
    return current.get();
  }
}
