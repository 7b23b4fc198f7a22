package io.driftguard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code chromium} run headless on a local HTML file: a screenshot, and a DOM dump of a copy of the page
 * with a probe script that records every image's load state and every error the page raises. Test support only.
 */
final class HeadlessChromium {
  static final String BINARY = "chromium";
  private static final long TIMEOUT_SECONDS = 90;
  private static final Pattern PROBE = Pattern.compile("<pre id=\"dg-probe\">(.*?)</pre>", Pattern.DOTALL);
  /**
   * Installed first in {@code <head>}: collects script errors, failed resource loads (capture phase) and
   * console.error calls, then on load writes the image states and the errors into the page as JSON.
   */
  private static final String PROBE_SCRIPT = "<script>(function(){var errors=[];"
      + "window.addEventListener('error',function(e){var t=e.target;errors.push(t&&t!==window"
      + "?'failed to load '+(t.src||t.href||t.tagName):String(e.message));},true);"
      + "var ce=console.error;console.error=function(){errors.push(Array.prototype.join.call(arguments,' '));"
      + "return ce.apply(console,arguments);};"
      + "window.addEventListener('load',function(){var imgs=Array.prototype.slice.call(document.images);"
      + "var p=document.createElement('pre');p.id='dg-probe';p.textContent=JSON.stringify({images:imgs.map("
      + "function(i){return {src:i.getAttribute('src'),complete:i.complete,naturalWidth:i.naturalWidth};}),"
      + "errors:errors});document.body.appendChild(p);});})();</script>";

  /** What the page did in the browser. */
  record PageCheck(List<Image> images, List<String> pageErrors, List<String> consoleLines) {
    record Image(String src, boolean complete, int naturalWidth) {
    }
  }

  private final Path work;

  HeadlessChromium(final Path work) throws IOException {
    this.work = Files.createDirectories(work);
  }

  /** The chromium binary on the PATH, if any. */
  static Optional<Path> find() {
    final String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (final String dir : path.split(File.pathSeparator)) {
      final Path candidate = Path.of(dir, BINARY);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Renders {@code html} at {@code width x height} into {@code png}. */
  void screenshot(final Path html, final Path png, final int width, final int height)
      throws IOException, InterruptedException {
    run(List.of("--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(),
        html.toUri().toString()), "screenshot");
  }

  /** Loads a probed copy of {@code html} (same directory, so relative image paths resolve) and reports. */
  PageCheck check(final Path html) throws IOException, InterruptedException {
    final String page = Files.readString(html, StandardCharsets.UTF_8);
    final int head = page.indexOf("<head>");
    if (head < 0) {
      throw new IllegalArgumentException(html + " has no <head>");
    }
    final Path probed = html.resolveSibling(".probe-" + html.getFileName());
    Files.writeString(probed, page.substring(0, head + 6) + PROBE_SCRIPT + page.substring(head + 6),
        StandardCharsets.UTF_8);
    try {
      final Result r = run(List.of("--enable-logging=stderr", "--v=0", "--dump-dom", probed.toUri().toString()),
          "dump-dom");
      final Matcher m = PROBE.matcher(r.stdout());
      if (!m.find()) {
        throw new IllegalStateException("the probe did not run (no load event within the time budget?); DOM:\n"
            + r.stdout());
      }
      final JsonNode probe = new ObjectMapper().readTree(m.group(1).replace("&lt;", "<").replace("&gt;", ">")
          .replace("&quot;", "\"").replace("&amp;", "&"));
      final List<PageCheck.Image> images = new ArrayList<>();
      probe.path("images").forEach(i -> images.add(new PageCheck.Image(i.path("src").asText(),
          i.path("complete").asBoolean(), i.path("naturalWidth").asInt())));
      final List<String> errors = new ArrayList<>();
      probe.path("errors").forEach(e -> errors.add(e.asText()));
      // Chromium logs the page's console messages as ":CONSOLE(line)]" (browser noise such as D-Bus is not).
      final List<String> console = r.stderr().lines().filter(l -> l.contains(":CONSOLE")).toList();
      return new PageCheck(images, errors, console);
    } finally {
      Files.deleteIfExists(probed);
    }
  }

  private record Result(String stdout, String stderr) {
  }

  private Result run(final List<String> args, final String what) throws IOException, InterruptedException {
    final List<String> cmd = new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage", "--user-data-dir=" + work.resolve("profile-" + what).toAbsolutePath(),
        "--virtual-time-budget=10000"));
    cmd.addAll(args);
    final Path out = work.resolve(what + ".out");
    final Path err = work.resolve(what + ".err");
    final Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("chromium " + what + " did not finish within " + TIMEOUT_SECONDS + " s");
    }
    final String stderr = Files.readString(err, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("chromium " + what + " exited " + p.exitValue() + ":\n" + stderr);
    }
    return new Result(Files.readString(out, StandardCharsets.UTF_8), stderr);
  }
}
