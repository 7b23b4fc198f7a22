package io.driftguard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/runbook.md: every runbook_url anchor exists, and each alert's section has every part an on-call needs. */
class RunbookTest {
  static final String RUNBOOK = "docs/runbook.md";
  private static final List<String> PARTS = List.of("**Means**", "**Check**", "**Automatic action**", "**By hand**",
      "./driftguard rollback", "curl");
  private static final Pattern LOCAL_LINK = Pattern.compile("\\]\\(#([^)]+)\\)");

  @Test
  void shouldResolveEveryRunbookUrlAnchorWhenAlertsAreRead() {
    // Given
    final Set<String> anchors = Markdown.sections(Repo.read(RUNBOOK)).keySet();

    // When
    final Map<String, String> broken = new TreeMap<>();
    for (final Rules.Alert alert : Rules.load().alerts()) {
      final String url = alert.annotations().getOrDefault("runbook_url", "");
      final String anchor = url.substring(url.indexOf('#') + 1);
      if (!url.startsWith(RUNBOOK + "#") || !anchors.contains(anchor)) {
        broken.put(alert.name(), url);
      }
    }

    // Then
    assertThat(broken).as("runbook_url annotations without a heading in %s (anchors: %s)", RUNBOOK, anchors)
        .isEmpty();
  }

  @Test
  void shouldExplainCheckActAndRollBackForEveryAlertWhenItsSectionIsRead() {
    // Given
    final Map<String, String> sections = Markdown.sections(Repo.read(RUNBOOK));

    // When
    final Map<String, List<String>> missing = new TreeMap<>();
    for (final Rules.Alert alert : Rules.load().alerts()) {
      final String url = alert.annotations().getOrDefault("runbook_url", "");
      final String body = sections.getOrDefault(url.substring(url.indexOf('#') + 1), "");
      final List<String> absent = new ArrayList<>();
      for (final String part : PARTS) {
        if (!body.contains(part)) {
          absent.add(part);
        }
      }
      if (!absent.isEmpty()) {
        missing.put(alert.name(), absent);
      }
    }

    // Then
    assertThat(missing).as("parts missing from the alert sections of %s", RUNBOOK).isEmpty();
  }

  @Test
  void shouldResolveEveryLinkInsideTheRunbookWhenItIsRead() {
    // Given
    final String text = Repo.read(RUNBOOK);
    final Set<String> anchors = Markdown.sections(text).keySet();

    // When
    final Set<String> broken = new TreeSet<>();
    final Matcher m = LOCAL_LINK.matcher(text);
    while (m.find()) {
      if (!anchors.contains(m.group(1))) {
        broken.add(m.group(1));
      }
    }

    // Then
    assertThat(broken).as("#links in %s without a heading", RUNBOOK).isEmpty();
  }
}
