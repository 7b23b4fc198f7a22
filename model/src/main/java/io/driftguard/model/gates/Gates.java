package io.driftguard.model.gates;

import io.driftguard.model.bundle.ArtifactBundle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Evaluates declared gates against a candidate's metrics. A missing metric fails its gate. */
public final class Gates {
  private Gates() {
  }

  public static List<Gate> parseAll(final List<String> texts) {
    final List<Gate> gates = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        gates.add(Gate.parse(texts.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("gates[" + i + "]: " + e.getMessage(), e);
      }
    }
    return gates;
  }

  /**
   * Evaluates the gates a candidate bundle declared before training against its recorded metrics, plus
   * metrics measured since (e.g. {@code p99_latency_ms} from a latency probe), and the champion's metrics.
   *
   * @param champion the current champion, or null when there is none
   * @param extraMetrics metrics measured outside training; they override recorded ones with the same name
   */
  public static GateResult evaluateCandidate(final ArtifactBundle candidate, final ArtifactBundle champion,
      final Map<String, Double> extraMetrics) {
    final Map<String, Double> metrics = new HashMap<>(candidate.manifest().metrics());
    metrics.putAll(extraMetrics == null ? Map.of() : extraMetrics);
    return evaluate(parseAll(candidate.manifest().gates()), metrics,
        champion == null ? null : champion.manifest().metrics(), candidate.manifest().sliceMetrics());
  }

  /**
   * @param metrics the candidate's overall metrics
   * @param championMetrics the current champion's metrics, or null when there is no champion
   * @param sliceMetrics metrics per slice, keyed {@code column=value} (e.g. {@code channel=ONLINE})
   */
  public static GateResult evaluate(final List<Gate> gates, final Map<String, Double> metrics,
      final Map<String, Double> championMetrics, final Map<String, Map<String, Double>> sliceMetrics) {
    final List<GateResult.Outcome> outcomes = new ArrayList<>();
    for (final Gate g : gates) {
      outcomes.add(evaluate(g, metrics, championMetrics, sliceMetrics == null ? Map.of() : sliceMetrics));
    }
    return new GateResult(outcomes);
  }

  private static GateResult.Outcome evaluate(final Gate g, final Map<String, Double> metrics,
      final Map<String, Double> champion, final Map<String, Map<String, Double>> slices) {
    final Map<String, Double> source = g.slice() == null ? metrics : slices.get(g.slice());
    final Double value = source == null ? null : finiteOrNull(source.get(g.metric()));
    if (value == null) {
      final String where = g.slice() == null ? "candidate metrics"
          : source == null ? "slice metrics (slice " + g.slice() + " absent)" : "metrics of slice " + g.slice();
      return new GateResult.Outcome(g, GateResult.Status.FAIL, null, null,
          "metric '" + g.metric() + "' missing from " + where);
    }
    return switch (g.kind()) {
      case MIN -> judge(g, value, g.threshold(), value >= g.threshold(), ">=");
      case MAX -> judge(g, value, g.threshold(), value <= g.threshold(), "<=");
      case NOT_WORSE_THAN_CHAMPION -> {
        if (champion == null) {
          yield new GateResult.Outcome(g, GateResult.Status.SKIPPED, value, null, "no champion to compare with");
        }
        final Double champ = finiteOrNull(champion.get(g.metric()));
        if (champ == null) {
          yield new GateResult.Outcome(g, GateResult.Status.FAIL, value, null,
              "metric '" + g.metric() + "' missing from champion metrics");
        }
        yield Gate.lowerIsBetter(g.metric())
            ? judge(g, value, champ + g.threshold(), value <= champ + g.threshold(), "<= champion " + champ + " +")
            : judge(g, value, champ - g.threshold(), value >= champ - g.threshold(), ">= champion " + champ + " -");
      }
    };
  }

  private static GateResult.Outcome judge(final Gate g, final double value, final double required,
      final boolean ok, final String op) {
    final String detail = (ok ? "ok: " : "violated: ") + g.metric() + " " + op + " "
        + (g.kind() == Gate.Kind.NOT_WORSE_THAN_CHAMPION ? g.threshold() : required);
    return new GateResult.Outcome(g, ok ? GateResult.Status.PASS : GateResult.Status.FAIL, value, required, detail);
  }

  private static Double finiteOrNull(final Double d) {
    return d == null || !Double.isFinite(d) ? null : d;
  }
}
