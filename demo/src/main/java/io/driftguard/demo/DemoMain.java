package io.driftguard.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The picocli-free entry point: {@code java -cp ... io.driftguard.demo.DemoMain [options]}. The CLI's
 * {@code DemoCommand} builds {@link DemoOptions} itself and calls {@link DemoRunner}; this class is for running the
 * demo module on its own and for the tests of flag handling.
 *
 * <p>Exit codes: 0 done (also after Ctrl-C), 1 failure, 2 bad flag or busy port. A first Ctrl-C stops the run in
 * order and writes the report; a second one exits at once.
 */
public final class DemoMain {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  static final String USAGE = "usage: demo [--duration 3m] [--rate 100] [--scenario "
      + DemoScenario.names().replace(", ", "|") + "] [--report-dir report] [--keep-running] [--registry DIR] "
      + "[--data-dir DIR] [--kafka-port N] [--registry-port N] [--features-port N] [--scoring-port N] "
      + "[--drift-port N]";

  private DemoMain() {
  }

  public static void main(final String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Parses, runs and returns the exit code; installs Ctrl-C handling for the run. */
  public static int run(final String[] args, final PrintStream out, final PrintStream err) {
    final DemoOptions options;
    try {
      options = parse(args);
    } catch (DemoUsageException e) {
      err.println("driftguard demo: " + e.getMessage());
      err.println(USAGE);
      return EXIT_USAGE;
    }
    return run(options, out, err);
  }

  /**
   * Runs the demo with Ctrl-C handling (first: stop in order and write the report, exit 0; second: exit at once)
   * and returns the exit code: 0 done, 1 failure, 2 busy port. The CLI's {@code demo} command calls this.
   */
  public static int run(final DemoOptions options, final PrintStream out, final PrintStream err) {
    final DemoRunner runner = new DemoRunner(options, out, System.console() != null);
    final AtomicInteger interrupts = new AtomicInteger();
    final SignalHandler handler = s -> {
      if (interrupts.incrementAndGet() == 1) {
        err.println("\nStopping the demo (Ctrl-C again to force exit)...");
        runner.requestStop();
      } else {
        err.println("\nForced exit.");
        Runtime.getRuntime().halt(130);
      }
    };
    final SignalHandler previousInt = install("INT", handler);
    final SignalHandler previousTerm = install("TERM", handler);
    try {
      runner.run();
      return EXIT_OK;
    } catch (DemoUsageException e) {
      err.println("driftguard demo: " + e.getMessage());
      return EXIT_USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("driftguard demo: interrupted");
      return EXIT_FAILURE;
    } catch (Exception e) {
      err.println("driftguard demo: failed: " + e.getMessage());
      return EXIT_FAILURE;
    } finally {
      if (previousInt != null) {
        Signal.handle(new Signal("INT"), previousInt);
      }
      if (previousTerm != null) {
        Signal.handle(new Signal("TERM"), previousTerm);
      }
    }
  }

  /** Installs {@code handler}; null when the platform refuses the signal (the JVM's default handling stays). */
  private static SignalHandler install(final String name, final SignalHandler handler) {
    try {
      return Signal.handle(new Signal(name), handler);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Parses the flags.
   *
   * @throws DemoUsageException naming the flag and the bad value
   */
  static DemoOptions parse(final String[] args) {
    DemoOptions o = DemoOptions.defaults(Path.of("report"));
    Duration duration = o.duration();
    double rate = o.rate();
    DemoScenario scenario = o.scenario();
    Path reportDir = o.reportDir();
    boolean keepRunning = false;
    Path registry = null;
    Path dataDir = null;
    final int[] ports = new int[5];
    for (int i = 0; i < args.length; i++) {
      final String flag = args[i];
      if (flag.equals("--keep-running")) {
        keepRunning = true;
        continue;
      }
      final String name;
      final String value;
      if (flag.startsWith("--") && flag.contains("=")) {
        name = flag.substring(0, flag.indexOf('='));
        value = flag.substring(flag.indexOf('=') + 1);
      } else {
        name = flag;
        if (i + 1 >= args.length) {
          throw new DemoUsageException(flag + ": missing value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--duration" -> duration = duration(value);
        case "--rate" -> rate = number(name, value);
        case "--scenario" -> scenario = DemoScenario.parse(value);
        case "--report-dir" -> reportDir = Path.of(value);
        case "--registry" -> registry = Path.of(value);
        case "--data-dir" -> dataDir = Path.of(value);
        case "--kafka-port" -> ports[0] = port(name, value);
        case "--registry-port" -> ports[1] = port(name, value);
        case "--features-port" -> ports[2] = port(name, value);
        case "--scoring-port" -> ports[3] = port(name, value);
        case "--drift-port" -> ports[4] = port(name, value);
        default -> throw new DemoUsageException("unknown option '" + flag + "'");
      }
    }
    return new DemoOptions(duration, rate, scenario, reportDir, keepRunning, registry, dataDir, ports[0], ports[1],
        ports[2], ports[3], ports[4]);
  }

  /** {@code 90s}, {@code 3m}, {@code 1h}, a number of seconds, or ISO-8601 ({@code PT90S}). */
  static Duration duration(final String value) {
    final String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt") || v.startsWith("-pt")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (v.matches("-?\\d+(ms|s|m|h)?")) {
        final String digits = v.replaceAll("[a-z]+$", "");
        final long n = Long.parseLong(digits);
        return v.endsWith("ms") ? Duration.ofMillis(n) : v.endsWith("m") ? Duration.ofMinutes(n)
            : v.endsWith("h") ? Duration.ofHours(n) : Duration.ofSeconds(n);
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      // fall through to the usage error
    }
    throw new DemoUsageException("--duration: '" + value + "' is not a duration (e.g. 90s, 3m, PT2M)");
  }

  private static double number(final String flag, final String value) {
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new DemoUsageException(flag + ": '" + value + "' is not a number");
    }
  }

  private static int port(final String flag, final String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new DemoUsageException(flag + ": '" + value + "' is not a port number");
    }
  }
}
