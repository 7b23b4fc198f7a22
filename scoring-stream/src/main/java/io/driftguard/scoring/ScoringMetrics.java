package io.driftguard.scoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every scoring meter. Model name is a tag on all of them; version, arm, decision and reason are dimensions.
 *
 * <ul>
 *   <li>{@value #LATENCY} (timer, histogram): validation + scoring time per prediction, by version and arm</li>
 *   <li>{@value #PREDICTIONS} (counter): predictions by version, arm and decision</li>
 *   <li>{@value #CONFIDENCE} (summary, buckets 0.5..1.0): confidence of scored predictions, by arm</li>
 *   <li>{@value #FALLBACKS} (counter): predictions not given by the arm's own model as-is, by reason and arm</li>
 *   <li>{@value #ABSTENTIONS} (counter): abstentions by reason</li>
 *   <li>{@value #VALIDATION} (counter): input problems by reason and the action the policy took</li>
 *   <li>{@value #ACTIVE_VERSION} (gauge): 1 for the version active on an arm, 0 for versions it left</li>
 *   <li>{@value #LOAD_FAILURES} (counter): versions refused at load, by version</li>
 *   <li>{@value #COMMANDS} (counter): model-control commands by action and outcome (applied, refused)</li>
 *   <li>{@value #BATCH_SIZE} (summary): events per scored micro-batch</li>
 * </ul>
 */
public final class ScoringMetrics implements MeterBinder {
  public static final String LATENCY = "driftguard.scoring.latency";
  public static final String PREDICTIONS = "driftguard.scoring.predictions";
  public static final String CONFIDENCE = "driftguard.scoring.confidence";
  public static final String FALLBACKS = "driftguard.scoring.fallbacks";
  public static final String ABSTENTIONS = "driftguard.scoring.abstentions";
  public static final String VALIDATION = "driftguard.scoring.validation.issues";
  public static final String ACTIVE_VERSION = "driftguard.scoring.active.version";
  public static final String LOAD_FAILURES = "driftguard.scoring.model.load.failures";
  public static final String COMMANDS = "driftguard.scoring.control.commands";
  public static final String PARKED = "driftguard.scoring.events.parked";
  public static final String BATCH_SIZE = "driftguard.scoring.batch.size";

  private static final double[] CONFIDENCE_BUCKETS = {0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99, 1.0};

  private final String modelName;
  private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
  private final Map<String, String> activeByArm = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  public ScoringMetrics(final String modelName) {
    this.modelName = Objects.requireNonNull(modelName, "modelName");
  }

  @Override
  public void bindTo(final MeterRegistry meterRegistry) {
    this.registry = Objects.requireNonNull(meterRegistry, "meterRegistry");
    // Register the families up front so a scrape shows them before the first event.
    Counter.builder(LOAD_FAILURES).description("Model versions refused at load (checksum, contract, engine)")
        .tags("model_name", modelName, "model_version", "none").register(meterRegistry);
  }

  private MeterRegistry registry() {
    final MeterRegistry r = registry;
    if (r == null) {
      throw new IllegalStateException("ScoringMetrics used before bindTo(registry)");
    }
    return r;
  }

  void prediction(final String version, final String arm, final String decision, final Double confidence,
      final long latencyMicros) {
    final MeterRegistry r = registry();
    Timer.builder(LATENCY).description("Time to validate and score one prediction")
        .tags("model_name", modelName, "model_version", version, "arm", arm)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(2))
        .register(r).record(latencyMicros, TimeUnit.MICROSECONDS);
    Counter.builder(PREDICTIONS).description("Predictions by version, arm and decision")
        .tags("model_name", modelName, "model_version", version, "arm", arm, "decision", decision)
        .register(r).increment();
    if (confidence != null) {
      DistributionSummary.builder(CONFIDENCE).description("Confidence max(score, 1-score) of scored predictions")
          .tags("model_name", modelName, "arm", arm).serviceLevelObjectives(CONFIDENCE_BUCKETS)
          .register(r).record(confidence);
    }
  }

  void fallback(final String reason, final String arm) {
    Counter.builder(FALLBACKS).description("Predictions not given by the arm's model as-is, by reason")
        .tags("model_name", modelName, "reason", reason, "arm", arm).register(registry()).increment();
  }

  void abstention(final String reason) {
    Counter.builder(ABSTENTIONS).description("Abstentions by reason")
        .tags("model_name", modelName, "reason", reason).register(registry()).increment();
  }

  void validationIssue(final String reason, final String action) {
    Counter.builder(VALIDATION).description("Model input problems by reason and the policy's action")
        .tags("model_name", modelName, "reason", reason, "action", action).register(registry()).increment();
  }

  void loadFailure(final String version) {
    Counter.builder(LOAD_FAILURES).description("Model versions refused at load (checksum, contract, engine)")
        .tags("model_name", modelName, "model_version", version).register(registry()).increment();
  }

  /** An event held back for features; {@code outcome} is {@code released} (features caught up) or {@code late}. */
  void parked(final String outcome) {
    Counter.builder(PARKED).description("Events held back until features reached their time, by how they left")
        .tags("model_name", modelName, "outcome", outcome).register(registry()).increment();
  }

  /** A micro-batch of {@code events} was scored. */
  void batch(final int events) {
    DistributionSummary.builder(BATCH_SIZE).description("Events per scored micro-batch")
        .tags("model_name", modelName).register(registry()).record(events);
  }

  void command(final String action, final String outcome) {
    Counter.builder(COMMANDS).description("model-control commands by action and outcome")
        .tags("model_name", modelName, "action", action, "outcome", outcome).register(registry()).increment();
  }

  /** Marks {@code version} (null = none) active on {@code arm}; the arm's previous version drops to 0. */
  void activeVersion(final String arm, final String version) {
    final String before = version == null ? activeByArm.remove(arm) : activeByArm.put(arm, version);
    if (before != null && !before.equals(version)) {
      gauge(arm, before).set(0);
    }
    if (version != null) {
      gauge(arm, version).set(1);
    }
  }

  private AtomicInteger gauge(final String arm, final String version) {
    return active.computeIfAbsent(arm + "\u0000" + version, k -> {
      final AtomicInteger value = new AtomicInteger();
      Gauge.builder(ACTIVE_VERSION, value, AtomicInteger::get).description("1 while the version is active on the arm")
          .tags("model_name", modelName, "arm", arm, "model_version", version).register(registry());
      return value;
    });
  }
}
