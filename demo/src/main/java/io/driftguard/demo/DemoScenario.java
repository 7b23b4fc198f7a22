package io.driftguard.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the live phase of a demo run shows. */
public enum DemoScenario {
  /** Stationary, then v2 in shadow and canary, then amount drift; the rollback policy is expected to react. */
  DRIFT_AND_ROLLBACK("drift-and-rollback"),
  /** No drift and no rollout: v1 scores everything. */
  STEADY("steady"),
  /** deviceId goes missing on most card-not-present payments from the onset. */
  NULL_SPIKE("null-spike"),
  /** No label arrives after the onset. */
  LABEL_OUTAGE("label-outage");

  private final String cliName;

  DemoScenario(final String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in reports. */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses a command-line name.
   *
   * @throws DemoUsageException naming the value and the valid names
   */
  public static DemoScenario parse(final String name) {
    if (name != null) {
      final String wanted = name.trim().toLowerCase(Locale.ROOT);
      for (final DemoScenario s : values()) {
        if (s.cliName.equals(wanted)) {
          return s;
        }
      }
    }
    throw new DemoUsageException("--scenario: unknown scenario '" + name + "'; expected one of " + names());
  }

  /** Valid names, comma separated. */
  public static String names() {
    return Arrays.stream(values()).map(DemoScenario::cliName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return cliName;
  }
}
