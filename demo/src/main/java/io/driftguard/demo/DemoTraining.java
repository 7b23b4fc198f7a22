package io.driftguard.demo;

import io.driftguard.avro.Channel;
import io.driftguard.avro.Transaction;
import io.driftguard.model.dataset.TrainingSetConfig;
import io.driftguard.model.gates.Gate;
import io.driftguard.model.gates.GateResult;
import io.driftguard.model.gates.Gates;
import io.driftguard.model.pipeline.DataSource;
import io.driftguard.model.pipeline.PipelineConfig;
import io.driftguard.model.pipeline.PipelineListener;
import io.driftguard.model.pipeline.PipelineRequest;
import io.driftguard.model.pipeline.PipelineResult;
import io.driftguard.model.pipeline.TrainingPipeline;
import io.driftguard.model.registry.ModelRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trains the demo's models through the same {@link TrainingPipeline} as {@code driftguard train}: v1 (promoted only
 * when every gate passes) when the registry has no champion, and a candidate trained on a biased slice for the
 * drift-and-rollback story (registered, never promoted by the demo).
 */
final class DemoTraining {
  /** The demo's training config; see the comment at its top for how it differs from model's demo config. */
  static final String CONFIG_RESOURCE = "demo/demo-training.yaml";
  /** Share of ONLINE payments the biased candidate keeps: it barely sees card-not-present fraud. */
  static final double ONLINE_KEEP = 0.15;

  /** What one training step did, for the console and summary.json. */
  record Outcome(String version, String role, boolean trained, boolean promoted, GateResult gates,
      GateResult advisory, String note, Map<String, Double> metrics, Path report) {
    Map<String, Object> toJson() {
      final Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", version);
      m.put("role", role);
      m.put("trained", trained);
      m.put("promoted", promoted);
      m.put("note", note);
      m.put("metrics", metrics);
      m.put("report", report == null ? null : report.toString());
      if (gates != null) {
        m.put("gatesPassed", gates.passed());
        m.put("gates", outcomes(gates));
      }
      if (advisory != null) {
        m.put("advisoryGates", outcomes(advisory));
      }
      return m;
    }

    private static List<Map<String, Object>> outcomes(final GateResult result) {
      final List<Map<String, Object>> list = new ArrayList<>();
      for (final GateResult.Outcome o : result.outcomes()) {
        final Map<String, Object> g = new LinkedHashMap<>();
        g.put("gate", o.gate().toString());
        g.put("status", o.status().name());
        g.put("value", o.value());
        g.put("required", o.required());
        g.put("detail", o.detail());
        list.add(g);
      }
      return list;
    }
  }

  private final PipelineConfig config;
  private final List<Gate> advisoryGates;
  private final ModelRegistry registry;
  private final Path outputRoot;
  private final PrintStream out;

  DemoTraining(final PipelineConfig config, final Path registryRoot, final Path outputRoot, final PrintStream out) {
    this.config = config;
    this.advisoryGates = advisoryGates(config);
    this.registry = new ModelRegistry(registryRoot, Clock.systemUTC());
    this.outputRoot = outputRoot;
    this.out = out;
  }

  /**
   * The latency gates of model's demo config that the demo config does not block on: evaluated on the measured
   * latency and reported, never used to refuse a promotion (see the demo config's header for why).
   */
  static List<Gate> advisoryGates(final PipelineConfig demo) {
    try {
      final List<String> production = PipelineConfig.loadResource(PipelineConfig.DEMO_RESOURCE).training().gates();
      return Gates.parseAll(production.stream().filter(g -> g.contains("latency"))
          .filter(g -> !demo.training().gates().contains(g)).toList());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + PipelineConfig.DEMO_RESOURCE, e);
    }
  }

  static PipelineConfig loadConfig() throws IOException {
    return PipelineConfig.loadResource(CONFIG_RESOURCE);
  }

  /** The config with the history ending at {@code labelCutoff}, replayed over {@code partitions} partitions. */
  static PipelineConfig asOf(final PipelineConfig base, final Instant labelCutoff, final int partitions) {
    final TrainingSetConfig t = base.trainingSet();
    return new PipelineConfig(base.featureSetLocation(), base.generator(), new TrainingSetConfig(labelCutoff,
        t.unlabelled(), t.negativeAfter(), t.eventFields(), t.staleFeatures(), t.sliceFields(), t.amountField(),
        t.amountBucketEdges(), partitions), base.evaluation(), base.training());
  }

  String modelName() {
    return config.training().modelName();
  }

  Optional<String> champion() throws IOException {
    return Optional.ofNullable(registry.aliases(modelName()).champion());
  }

  /** Trains, registers and (gates permitting) promotes the first champion. */
  Outcome trainChampion(final DataSource.History history) throws IOException {
    final String version = nextVersion();
    out.printf("Training %s %s on %d historical events (gates: %s)%n", modelName(), version,
        history.events().size(), config.training().gates());
    final PipelineResult r = run(version, DataSource.of(history.events(), history.labels()), true);
    final GateResult advisory = printVerdict(version, r);
    final String note = r.promoted() ? "promoted to champion: every gate passed"
        : "registered, NOT promoted: " + r.gates().failures().size() + " gate(s) failed; the scorer has no champion"
            + " and answers with its fallback rule";
    return new Outcome(version, "champion", true, r.promoted(), r.gates(), advisory, note, metrics(r),
        r.report().html());
  }

  /**
   * Trains the candidate on a biased slice: only {@link #ONLINE_KEEP} of the ONLINE payments (chosen by a hash of
   * the event id) and their labels. It is registered, not promoted.
   */
  Outcome trainCandidate(final DataSource.History history) throws IOException {
    final String version = nextVersion();
    final List<Transaction> biased = new ArrayList<>();
    final java.util.Set<String> kept = new java.util.HashSet<>();
    for (final Transaction t : history.events()) {
      if (t.getChannel() != Channel.ONLINE || Math.floorMod(t.getEventId().hashCode(), 1000) < ONLINE_KEEP * 1000) {
        biased.add(t);
        kept.add(t.getEventId());
      }
    }
    final var labels = history.labels().stream().filter(l -> kept.contains(l.getEventId())).toList();
    out.printf("Training candidate %s %s on a biased slice: %d of %d events (%.0f%% of ONLINE payments kept)%n",
        modelName(), version, biased.size(), history.events().size(), ONLINE_KEEP * 100);
    final PipelineResult r = run(version, DataSource.of(biased, labels), false);
    final GateResult advisory = printVerdict(version, r);
    return new Outcome(version, "candidate", true, false, r.gates(), advisory,
        "registered, not promoted (the demo rolls it out as shadow, then canary)", metrics(r), r.report().html());
  }

  private PipelineResult run(final String version, final DataSource source, final boolean promote)
      throws IOException {
    final PipelineRequest request = new PipelineRequest(config, source,
        outputRoot.resolve(version + "-" + System.currentTimeMillis()), registry.root(), version, Instant.now(), null,
        DemoPlan.OPERATOR, promote);
    final PipelineListener progress = (step, message) -> {
      if (step == PipelineListener.Step.TRAIN || step == PipelineListener.Step.DONE) {
        out.printf("  [%s] %s%n", step.name().toLowerCase(Locale.ROOT), message.replace("\n", "\n    "));
      }
    };
    return TrainingPipeline.run(request, progress);
  }

  private GateResult printVerdict(final String version, final PipelineResult r) {
    out.printf("Gate verdicts for %s %s:%n  %s%n", modelName(), version, r.gates().report().replace("\n", "\n  "));
    final GateResult advisory = Gates.evaluate(advisoryGates, r.latency(), null, null);
    for (final GateResult.Outcome o : advisory.outcomes()) {
      out.printf(Locale.ROOT, "  ADVISORY %s %s: measured %s (not blocking in the demo; see docs/demo.md)%n",
          o.status(), o.gate(), o.value() == null ? "missing" : String.format(Locale.ROOT, "%.2f", o.value()));
    }
    out.printf("%s %s: %s%n", modelName(), version, r.promoted() ? "promoted to champion" : "registered, not promoted");
    return advisory;
  }

  private String nextVersion() throws IOException {
    final List<String> existing = registry.models().contains(modelName()) ? registry.versions(modelName()) : List.of();
    int n = 1;
    while (existing.contains("v" + n)) {
      n++;
    }
    return "v" + n;
  }

  private static Map<String, Double> metrics(final PipelineResult r) {
    final Map<String, Double> m = new LinkedHashMap<>(r.training().metrics());
    m.putAll(r.latency());
    return m;
  }
}
