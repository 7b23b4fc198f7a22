package io.driftguard.cli;

import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.gates.GateResult;
import io.driftguard.model.gates.Gates;
import io.driftguard.model.registry.Aliases;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.model.serving.LatencyProbe;
import io.driftguard.model.serving.ModelRunner;
import io.driftguard.platform.config.DriftguardConfig;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Gate-checked promotion of a registered version to champion, optionally announced on {@code model-control}. */
@Command(
    name = "promote",
    description = {
        "Promote a registered model version to champion, only if every promotion gate it declared passes.",
        "The gates are evaluated on the version's recorded test metrics, against the current champion's, plus its "
            + "single-row scoring latency measured now on this machine (p50/p99_latency_ms, on rows spread over "
            + "its reference profile). On any failure every failed gate is printed with its value and threshold, "
            + "nothing changes, and the exit code is 1.",
        "On success the champion alias moves (the old champion becomes 'previous'), the history records who and "
            + "why, and with --bootstrap-servers a PROMOTE ModelCommand keyed by the model name is published to "
            + "model-control, where scoring-stream picks it up."})
final class PromoteCommand implements Callable<Integer> {

    // no mixinStandardHelpOptions: its -V/--version would take the --version V this command needs
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    static final int PROBE_ROWS = 1000;
    private static final int WARMUP_CALLS = 200;

    @Mixin
    ModelChangeOptions target;

    @Option(names = "--version", required = true, paramLabel = "V", description = "Registered version to promote.")
    String version;

    @Option(names = "--why", paramLabel = "TEXT", defaultValue = "promoted with driftguard promote",
        description = "Recorded in the history and the ModelCommand. Default: '${DEFAULT-VALUE}'.")
    String why;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final ModelRegistry models = RegistryOptions.open(spec, target.registry);
        RegistryOptions.requireModel(spec, models, target.model);
        RegistryOptions.requireVersion(spec, models, target.model, version);
        final DriftguardConfig clusterConfig = cluster.given() ? cluster.config(spec, env, "driftguard-cli") : null;
        final String actor = target.actor();

        out.printf("Verifying %s %s in %s...%n", target.model, version, target.registry);
        out.flush();
        final ArtifactBundle candidate = models.show(target.model, version);
        final Optional<ArtifactBundle> champion = models.champion(target.model);
        if (champion.isPresent() && champion.get().manifest().version().equals(version)) {
            throw new IllegalStateException("model " + target.model + " " + version + " is already the champion");
        }
        out.printf("Measuring scoring latency (%d single-row calls)...%n", PROBE_ROWS);
        out.flush();
        final Map<String, Double> latency;
        try (ModelRunner runner = ModelRunner.open(candidate); ModelRunner.Session session = runner.newSession()) {
            latency = LatencyProbe.measure(session, ProbeRows.fromManifest(candidate.manifest(), PROBE_ROWS),
                WARMUP_CALLS);
        }
        out.printf(Locale.ROOT, "  p50 %.3f ms, p99 %.3f ms%n", latency.get("p50_latency_ms"),
            latency.get("p99_latency_ms"));
        final GateResult gates = Gates.evaluateCandidate(candidate, champion.orElse(null), latency);
        out.println("Gates (against " + champion.map(c -> "champion " + c.manifest().version())
            .orElse("no champion") + "):");
        out.println(indent(gates.report()));
        out.flush();
        if (!gates.passed()) {
            return refuse(gates);
        }
        final Aliases aliases = models.promote(target.model, version, gates, actor, why);
        out.printf("Promoted %s %s to champion (previous: %s).%n", target.model, version, aliases.previous());
        out.flush();
        if (clusterConfig != null) {
            final ModelCommand command = ModelControlPublisher.command(target.model, ModelAction.PROMOTE, version,
                actor, why, Instant.now());
            publish(out, clusterConfig, command);
        }
        return 0;
    }

    private int refuse(final GateResult gates) {
        final PrintWriter err = spec.commandLine().getErr();
        err.printf("driftguard: promotion of %s %s refused: %d of %d gates failed%n", target.model, version,
            gates.failures().size(), gates.outcomes().size());
        if (gates.outcomes().isEmpty()) {
            err.println("  no gates were declared, and promotion fails closed");
        }
        for (final GateResult.Outcome o : gates.failures()) {
            err.printf(Locale.ROOT, "  FAILED %s: value %s, threshold %s (%s)%n", o.gate(), number(o.value()),
                number(o.required()), o.detail());
        }
        err.flush();
        return Driftguard.EXIT_FAILURE;
    }

    static void publish(final PrintWriter out, final DriftguardConfig config, final ModelCommand command)
        throws Exception {
        try {
            final RecordMetadata meta = ModelControlPublisher.publish(config, command);
            out.printf("Published %s %s%s to %s (partition %d, offset %d).%n", command.getAction(),
                command.getModelName(), command.getVersion() == null ? "" : " " + command.getVersion(), meta.topic(),
                meta.partition(), meta.offset());
            out.flush();
        } catch (final IllegalStateException e) {
            throw new IllegalStateException("the registry was updated, but " + e.getMessage()
                + "; scoring-stream has not been told", e);
        }
    }

    private static String number(final Double d) {
        return d == null ? "missing" : String.format(Locale.ROOT, "%.6g", d);
    }

    static String indent(final String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
