package io.driftguard.model.dataset;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where every input went: each event is a row, a rejected event, after the cutoff, or unlabelled; each label is used,
 * after the cutoff, superseded, unmatched or inconsistent. Nothing is dropped without being counted here.
 *
 * @param eventsRead events offered, in arrival order
 * @param eventsRejected events the feature library refused (invalid, LATE, FUTURE_TIMESTAMP, or no vector), by reason
 * @param eventsAfterCutoff accepted events later than the label cutoff
 * @param droppedUnlabelled accepted events whose label was not known by the cutoff and that did not become negatives
 * @param rows rows of the training set
 * @param positives rows labelled 1
 * @param negativesByPolicy rows labelled 0 only because their label was unknown by the cutoff (policy NEGATIVE)
 * @param rowsWithoutPriorVector rows whose entity had no vector before the event (empty-history values)
 * @param staleValuesMissing feature values older than their SLA at the event, turned missing
 * @param labelsRead labels offered
 * @param labelsAfterCutoff labels with labelTime after the cutoff (ignored)
 * @param labelsSuperseded labels replaced by a later label of the same event known by the cutoff
 * @param labelsUnmatched labels known by the cutoff whose event is not among the accepted events
 * @param labelsBeforeEvent labels whose labelTime precedes their event's time (inconsistent, ignored)
 */
public record TrainingSetStats(long eventsRead, Map<String, Long> eventsRejected, long eventsAfterCutoff,
    long droppedUnlabelled, int rows, int positives, int negativesByPolicy, int rowsWithoutPriorVector,
    long staleValuesMissing, long labelsRead, long labelsAfterCutoff, long labelsSuperseded, long labelsUnmatched,
    long labelsBeforeEvent) {

  public TrainingSetStats {
    eventsRejected = Map.copyOf(eventsRejected);
  }

  public long rejectedTotal() {
    return eventsRejected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Ordered name to value, for reports. */
  public Map<String, Object> asMap() {
    final Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("events read", eventsRead);
    m.put("events rejected", eventsRejected.isEmpty() ? "0" : rejectedTotal() + " " + new TreeMap<>(eventsRejected));
    m.put("events after cutoff", eventsAfterCutoff);
    m.put("events dropped (label unknown at cutoff)", droppedUnlabelled);
    m.put("rows", rows);
    m.put("positives", positives);
    m.put("negatives by policy", negativesByPolicy);
    m.put("rows without a prior vector", rowsWithoutPriorVector);
    m.put("stale values made missing", staleValuesMissing);
    m.put("labels read", labelsRead);
    m.put("labels after cutoff", labelsAfterCutoff);
    m.put("labels superseded", labelsSuperseded);
    m.put("labels unmatched", labelsUnmatched);
    m.put("labels before their event", labelsBeforeEvent);
    return m;
  }
}
