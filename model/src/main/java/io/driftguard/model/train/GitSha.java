package io.driftguard.model.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The code version that trains a model, for the manifest. */
final class GitSha {
  static final String UNKNOWN = "unknown";

  private GitSha() {
  }

  static String current() {
    try {
      final Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return UNKNOWN;
      }
      return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : UNKNOWN;
    } catch (IOException e) {
      return UNKNOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNKNOWN;
    }
  }
}
