package io.driftguard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser check itself: it must see a broken image and a console error, or its passing means nothing. */
class HeadlessChromiumTest {

  @TempDir
  Path dir;

  @BeforeAll
  static void requireChromium() {
    requireChromiumUnlessAbsentOutsideCi();
  }

  /** Skips when chromium is absent and CI is not set; fails when CI is set (CI installs it: .ci/run). */
  static void requireChromiumUnlessAbsentOutsideCi() {
    if (HeadlessChromium.find().isEmpty()) {
      if (System.getenv("CI") != null) {
        fail("chromium is not on the PATH but CI is set: .ci/run installs Debian's chromium for this test");
      }
      assumeTrue(false, "chromium is not installed (apt-get install -y chromium, as .ci/run does): "
          + "skipping the headless-browser check outside CI");
    }
  }

  @Test
  void shouldReportABrokenImageAndAConsoleErrorWhenThePageHasThem() throws Exception {
    // Given a page with one real image, one missing image and a script error
    final BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    img.setRGB(5, 5, Color.RED.getRGB());
    ImageIO.write(img, "png", dir.resolve("ok.png").toFile());
    final Path html = dir.resolve("page.html");
    Files.writeString(html, "<!DOCTYPE html><html><head><title>t</title></head><body><h1>Hello</h1>"
        + "<img src=\"ok.png\"><img src=\"missing.png\"><script>console.error('boom');</script></body></html>");

    // When chromium loads it
    final HeadlessChromium.PageCheck check = new HeadlessChromium(dir.resolve("chromium")).check(html);

    // Then the good image loaded, the missing one did not, and the error was seen
    assertThat(check.images()).extracting(HeadlessChromium.PageCheck.Image::src)
        .containsExactly("ok.png", "missing.png");
    assertThat(check.images().get(0).naturalWidth()).isEqualTo(40);
    assertThat(check.images().get(1).naturalWidth()).isZero();
    assertThat(check.pageErrors()).anyMatch(e -> e.contains("missing.png")).anyMatch(e -> e.contains("boom"));
    assertThat(check.consoleLines()).anyMatch(l -> l.contains("boom"));
  }

  @Test
  void shouldWriteAScreenshotOfTheRequestedSizeWhenThePageRenders() throws Exception {
    // Given a page with a heading
    final Path html = dir.resolve("page.html");
    Files.writeString(html, "<!DOCTYPE html><html><head><title>t</title></head><body><h1>Rendered</h1></body></html>");
    final Path png = dir.resolve("shot.png");

    // When chromium takes a screenshot
    new HeadlessChromium(dir.resolve("chromium")).screenshot(html, png, 400, 300);

    // Then it is a 400x300 image with something drawn on the white page
    final BufferedImage shot = ImageIO.read(png.toFile());
    assertThat(shot.getWidth()).isEqualTo(400);
    assertThat(shot.getHeight()).isEqualTo(300);
    assertThat(DemoRunTest.distinctColours(shot)).isGreaterThan(1);
  }
}
