package io.driftguard.benchmarks.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The stages the harness knows, by name. The first one named on the command line is the 1.00 baseline. */
final class Stages {
  /** Register new pipelines here: name to a factory giving a fresh, unstarted stage per run. */
  static final Map<String, Supplier<LoadStage>> KNOWN = known();

  private Stages() {
  }

  private static Map<String, Supplier<LoadStage>> known() {
    final Map<String, Supplier<LoadStage>> m = new LinkedHashMap<>();
    register(m, PlainPassthroughStage::atLeastOnce);
    register(m, PlainPassthroughStage::asyncCommit);
    register(m, StreamsPassthroughStage::new);
    register(m, FeatureStreamStage::new);
    register(m, ScoringStage::batched);
    register(m, ScoringStage::unbatched);
    return Collections.unmodifiableMap(m);
  }

  private static void register(final Map<String, Supplier<LoadStage>> m, final Supplier<LoadStage> factory) {
    final String name = factory.get().name();
    if (m.putIfAbsent(name, factory) != null) {
      throw new IllegalStateException("two stages are named '" + name + "'");
    }
  }

  static Supplier<LoadStage> byName(final String name) {
    final Supplier<LoadStage> f = KNOWN.get(name);
    if (f == null) {
      throw new IllegalArgumentException("--stages: unknown stage '" + name + "'; known: " + List.copyOf(
          KNOWN.keySet()));
    }
    return f;
  }
}
