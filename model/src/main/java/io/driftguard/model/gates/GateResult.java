package io.driftguard.model.gates;

import java.util.List;
import java.util.Locale;

/**
 * The verdict of a set of gates. It passes only when at least one gate was evaluated and none failed:
 * promotion fails closed.
 */
public record GateResult(List<Outcome> outcomes) {

  /** PASS, FAIL, or SKIPPED (only for a champion comparison when there is no champion yet). */
  public enum Status {
    PASS, FAIL, SKIPPED
  }

  /**
   * @param value the observed value (null when missing)
   * @param required the bound the value was held to (null when it could not be computed)
   */
  public record Outcome(Gate gate, Status status, Double value, Double required, String detail) {
  }

  public GateResult {
    outcomes = List.copyOf(outcomes);
  }

  public boolean passed() {
    return outcomes.stream().anyMatch(o -> o.status() == Status.PASS)
        && outcomes.stream().noneMatch(o -> o.status() == Status.FAIL);
  }

  public List<Outcome> failures() {
    return outcomes.stream().filter(o -> o.status() == Status.FAIL).toList();
  }

  /** One line per gate, failures first, then the verdict. */
  public String report() {
    final StringBuilder sb = new StringBuilder();
    if (outcomes.isEmpty()) {
      sb.append("FAIL  no gates were declared\n");
    }
    outcomes.stream()
        .sorted((a, b) -> Boolean.compare(a.status() != Status.FAIL, b.status() != Status.FAIL))
        .forEach(o -> sb.append(String.format(Locale.ROOT, "%-7s %-45s value=%s required=%s %s%n",
            o.status(), o.gate(), fmt(o.value()), fmt(o.required()), o.detail())));
    sb.append(passed() ? "PASSED" : "FAILED: " + failures().size() + " of " + outcomes.size() + " gates failed");
    return sb.toString();
  }

  private static String fmt(final Double d) {
    return d == null ? "missing" : String.format(Locale.ROOT, "%.6g", d);
  }
}
