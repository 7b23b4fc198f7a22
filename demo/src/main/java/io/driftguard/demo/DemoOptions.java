package io.driftguard.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of one demo run.
 *
 * @param duration wall-clock length of the live phase (generator running); positive
 * @param rate events per wall-clock second the live generator publishes; positive. The scenario clock follows from
 *     it: the generator's cards produce {@link #CARD_EVENTS_PER_DAY} payments a day each, so event time runs
 *     {@code rate * 86400 / (cards * eventsPerCardDay)} times faster than the wall clock
 * @param scenario what the live phase shows
 * @param reportDir where {@code index.html}, {@code summary.json}, charts and (by default) the model registry go
 * @param keepRunning keep the apps and the stack up after the live phase until stopped (Ctrl-C)
 * @param registryDir the model registry; null for {@code reportDir/registry}
 * @param dataDir broker data dir; null for a temp dir deleted at the end
 * @param brokerPort Kafka port, 0 for ephemeral
 * @param registryPort schema-registry port, 0 for ephemeral
 * @param featuresPort feature-stream /metrics and /features port, 0 for ephemeral
 * @param scoringPort scoring-stream /metrics and /score port, 0 for ephemeral
 * @param driftPort drift-monitor /metrics port, 0 for ephemeral
 */
public record DemoOptions(Duration duration, double rate, DemoScenario scenario, Path reportDir, boolean keepRunning,
    Path registryDir, Path dataDir, int brokerPort, int registryPort, int featuresPort, int scoringPort,
    int driftPort) {

  /** Default live phase: long enough for the drift-and-rollback story at the default rate. */
  public static final Duration DEFAULT_DURATION = Duration.ofMinutes(3);
  public static final double DEFAULT_RATE = 100;
  /** Cards in the demo world (history and live). */
  public static final int CARDS = 400;
  public static final double CARD_EVENTS_PER_DAY = 6;
  private static final double MAX_RATE = 5_000;

  public DemoOptions {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new DemoUsageException("--duration: must be positive, was " + duration);
    }
    if (!(rate > 0) || !Double.isFinite(rate)) {
      throw new DemoUsageException("--rate: must be a positive number of events per second, was " + rate);
    }
    if (rate > MAX_RATE) {
      throw new DemoUsageException("--rate: at most " + (int) MAX_RATE + " events/s on the embedded stack, was "
          + rate);
    }
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(reportDir, "reportDir");
    registryDir = registryDir == null ? reportDir.resolve("registry") : registryDir;
    final Map<Integer, String> used = new HashMap<>();
    port(brokerPort, "--kafka-port", used);
    port(registryPort, "--registry-port", used);
    port(featuresPort, "--features-port", used);
    port(scoringPort, "--scoring-port", used);
    port(driftPort, "--drift-port", used);
  }

  /** Defaults: 3 minutes at 100 events/s, drift-and-rollback, ephemeral ports, report in {@code reportDir}. */
  public static DemoOptions defaults(final Path reportDir) {
    return new DemoOptions(DEFAULT_DURATION, DEFAULT_RATE, DemoScenario.DRIFT_AND_ROLLBACK, reportDir, false, null,
        null, 0, 0, 0, 0, 0);
  }

  public DemoOptions withDuration(final Duration d) {
    return new DemoOptions(d, rate, scenario, reportDir, keepRunning, registryDir, dataDir, brokerPort,
        registryPort, featuresPort, scoringPort, driftPort);
  }

  public DemoOptions withRate(final double r) {
    return new DemoOptions(duration, r, scenario, reportDir, keepRunning, registryDir, dataDir, brokerPort,
        registryPort, featuresPort, scoringPort, driftPort);
  }

  public DemoOptions withScenario(final DemoScenario s) {
    return new DemoOptions(duration, rate, s, reportDir, keepRunning, registryDir, dataDir, brokerPort,
        registryPort, featuresPort, scoringPort, driftPort);
  }

  /** Event-time milliseconds per wall-clock millisecond. */
  public double clockSpeed() {
    return rate * 86_400.0 / (CARDS * CARD_EVENTS_PER_DAY);
  }

  /** Event time the live phase covers. */
  public Duration eventSpan() {
    return Duration.ofMillis((long) (duration.toMillis() * clockSpeed()));
  }

  private static void port(final int port, final String option, final Map<Integer, String> used) {
    if (port < 0 || port > 65_535) {
      throw new DemoUsageException(option + ": must be 0 (ephemeral) or 1-65535, was " + port);
    }
    if (port != 0) {
      final String other = used.putIfAbsent(port, option);
      if (other != null) {
        throw new DemoUsageException(option + ": port " + port + " is already given to " + other);
      }
    }
  }
}
