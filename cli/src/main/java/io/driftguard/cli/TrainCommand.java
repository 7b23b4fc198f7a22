package io.driftguard.cli;

import io.driftguard.model.pipeline.DataSource;
import io.driftguard.model.pipeline.PipelineConfig;
import io.driftguard.model.pipeline.PipelineListener;
import io.driftguard.model.pipeline.PipelineRequest;
import io.driftguard.model.pipeline.PipelineResult;
import io.driftguard.model.pipeline.TrainingPipeline;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the training pipeline: point-in-time training set, XGBoost, evaluation report, registration, gates. */
@Command(
    name = "train",
    description = {
        "Train a model version: replay the history through the feature set into a point-in-time training set, "
            + "train XGBoost with a baseline, calibrate, choose the threshold from the mistake budget, evaluate on "
            + "the time-split test set (vs baseline and champion), write the report, register the bundle, and "
            + "evaluate the promotion gates.",
        "Exit code 1 when --promote was asked and a gate failed (the version stays registered, not promoted)."})
final class TrainCommand implements Callable<Integer> {

    // no mixinStandardHelpOptions: its -V/--version would take the --version V this command needs
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Training pipeline YAML (see docs/model.md). Default: the checked-in demo config "
            + "(classpath:" + PipelineConfig.DEMO_RESOURCE + ").")
    Path config;

    @Option(names = "--data", split = ",", paramLabel = "PATH", description = DataFiles.DESCRIPTION)
    List<Path> data;

    @Option(names = "--registry", required = true, paramLabel = "DIR",
        description = "Model registry to register in (created if missing).")
    Path registry;

    @Option(names = "--version", required = true, paramLabel = "V", description = "Version to create, e.g. v1.")
    String version;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Output directory: bundle/, report/ (report.md, report.html, charts, training.md), "
            + "summary.json. Its bundle/ must not exist yet.")
    Path out;

    @Option(names = "--promote", description = "Promote to champion if every gate passes.")
    boolean promote;

    @Option(names = "--who", paramLabel = "NAME", description = "Recorded in the history. Default: the OS user.")
    String who;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PipelineConfig pipeline = DataFiles.config(spec, config);
        final DataSource source = DataFiles.resolve(spec, data, pipeline);
        if (Files.exists(out.resolve("bundle"))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--out: " + out.resolve("bundle") + " already exists; choose a new output directory");
        }
        if (!version.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--version: '" + version + "' must match [A-Za-z0-9][A-Za-z0-9._-]*");
        }
        final PipelineRequest request;
        try {
            request = new PipelineRequest(pipeline, source, out, registry, version, Instant.now(), null,
                Actor.who(who), promote);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        final PipelineListener progress = (step, message) -> {
            stdout.printf("[%s] %s%n", step.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                message.replace("\n", "\n    "));
            stdout.flush();
        };
        final PipelineResult result = TrainingPipeline.run(request, progress);
        stdout.printf("Model %s %s: gates %s; %s.%n", pipeline.training().modelName(), version,
            result.gates().passed() ? "passed" : "FAILED", result.promoted() ? "promoted to champion"
                : "registered, not promoted");
        stdout.println("Report:  " + result.report().html());
        stdout.println("Summary: " + result.summaryJson());
        stdout.println("Bundle:  " + result.bundle().dir());
        stdout.flush();
        if (promote && !result.promoted()) {
            final PrintWriter err = spec.commandLine().getErr();
            err.printf("driftguard: %s %s not promoted: %d gate(s) failed%n", pipeline.training().modelName(),
                version, result.gates().failures().size());
            result.gates().failures().forEach(o -> err.printf("  FAILED %s: value %s, threshold %s%n", o.gate(),
                o.value() == null ? "missing" : o.value(), o.required() == null ? "-" : o.required()));
            err.flush();
            return Driftguard.EXIT_FAILURE;
        }
        return 0;
    }
}
