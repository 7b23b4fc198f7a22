package io.driftguard.demo;

import java.nio.file.Path;

/**
 * What a demo run left behind.
 *
 * @param summaryJson the machine-readable figures
 * @param indexHtml the HTML report with its charts
 * @param stoppedEarly true when the run was stopped (Ctrl-C) before its duration
 * @param exactlyOncePassed whether every valid event had exactly one champion-or-canary prediction
 */
public record DemoResult(Path summaryJson, Path indexHtml, boolean stoppedEarly, boolean exactlyOncePassed) {
}
