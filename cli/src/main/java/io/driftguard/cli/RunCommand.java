package io.driftguard.cli;

import io.driftguard.drift.DriftApp;
import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.features.FeatureApp;
import io.driftguard.features.FeatureStreamSettings;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code driftguard run <app> --config FILE}: one production app per process, until SIGINT/SIGTERM. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run one driftguard Kafka Streams app in this process until Ctrl-C or SIGTERM (clean shutdown, "
        + "exit 0). Config: a YAML file, then DRIFTGUARD_* and KAFKA_* environment overrides (see "
        + "platform-core/README.md); a bad or unknown key stops start-up naming the key (exit 2).")
final class RunCommand implements Runnable {

    /** The apps {@code run} can start; adding one is one line here. */
    static final List<RunnableApp> APPS = List.of(
        new RunnableApp("feature-stream", "Compute per-entity windowed features from 'events' into 'features' "
            + "(GET /features/{entityId} on the metrics port).",
            Map.of(FeatureApp.SECTION, FeatureStreamSettings.class), c -> RunnableApp.Built.of(FeatureApp.create(c))),
        new RunnableApp("scoring-stream", "Score every event on 'events' with the model 'model-control' makes active, "
            + "into 'predictions' and 'predictions-shadow' (POST /score on the metrics port).",
            ScoringStreamApp.SECTIONS, ScoringStreamApp::create),
        new RunnableApp("drift-monitor", "Watch 'predictions' and 'labels' for drift and quality; alerts to 'alerts', "
            + "rollbacks to 'model-control' (POST /rollback on the metrics port).",
            Map.of(DriftApp.SECTION, DriftMonitorConfig.class), c -> RunnableApp.Built.of(DriftApp.create(c))));

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing app: one of "
            + String.join(", ", APPS.stream().map(RunnableApp::name).toList()));
    }

    /** Adds one {@code run <app>} subcommand per app. */
    static void addApps(final CommandLine run) {
        for (final RunnableApp app : APPS) {
            final CommandLine sub = new CommandLine(new AppCommand(app));
            sub.getCommandSpec().name(app.name());
            sub.getCommandSpec().usageMessage().description(app.description(),
                "Config sections besides the common keys: " + String.join(", ", app.sections().keySet()) + ".");
            run.addSubcommand(app.name(), sub);
        }
    }
}
