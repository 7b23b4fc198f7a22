package io.driftguard.model.registry;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One line of {@code history.jsonl}: who did what to which version, from which version, when and why.
 *
 * @param fromVersion the champion (or challenger) before the action; null when there was none
 */
@JsonPropertyOrder({"at", "who", "action", "version", "fromVersion", "why", "artifactSha256"})
public record HistoryEntry(Instant at, String who, Action action, String version, String fromVersion, String why,
    String artifactSha256) {

  /** Registry operations that are recorded. */
  public enum Action {
    REGISTER, PROMOTE, ROLLBACK, SET_CHALLENGER
  }
}
