package io.driftguard.cli;

import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.bundle.FeatureSpec;
import io.driftguard.model.bundle.Manifest;
import io.driftguard.model.registry.Aliases;
import io.driftguard.model.registry.HistoryEntry;
import io.driftguard.model.registry.ModelRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Read-only views of the model registry. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "Inspect the model registry: versions, aliases (champion, challenger, previous), metrics and the "
        + "history of who did what, when and why.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.ShowModel.class})
final class ModelsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list or show");
    }

    /** One line per version, with its aliases and headline metrics. */
    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "List every model (or one) with its versions in registration order, their aliases, test "
            + "ROC-AUC, ECE and decision threshold.")
    static final class ListModels implements Callable<Integer> {

        @Option(names = "--registry", required = true, paramLabel = "DIR", description = "Model registry directory.")
        Path registry;

        @Option(names = "--model", paramLabel = "NAME", description = "Only this model.")
        String model;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            final PrintWriter out = spec.commandLine().getOut();
            final ModelRegistry models = RegistryOptions.open(spec, registry);
            final List<String> names;
            if (model != null) {
                RegistryOptions.requireModel(spec, models, model);
                names = List.of(model);
            } else {
                names = models.models();
            }
            if (names.isEmpty()) {
                out.println("No models in " + registry + ".");
                return 0;
            }
            for (final String name : names) {
                final Aliases aliases = models.aliases(name);
                out.printf("%s  (champion: %s, challenger: %s, previous: %s)%n", name, dash(aliases.champion()),
                    dash(aliases.challenger()), dash(aliases.previous()));
                out.printf("  %-12s %-20s %-8s %-8s %-9s %-12s %s%n", "VERSION", "CREATED", "AUC", "ECE",
                    "THRESHOLD", "SHA256", "ALIASES");
                for (final String version : models.versions(name)) {
                    final ArtifactBundle bundle = models.show(name, version);
                    final Manifest m = bundle.manifest();
                    out.printf(Locale.ROOT, "  %-12s %-20s %-8s %-8s %-9.4f %-12s %s%n", version,
                        m.createdAt().toString().replaceFirst("\\.\\d+Z$", "Z"), metric(m, "auc"), metric(m, "ece"),
                        m.threshold(), bundle.artifactSha256().substring(0, 12),
                        String.join(",", aliasesOf(aliases, version)));
                }
            }
            out.flush();
            return 0;
        }
    }

    /** A model's aliases, versions and history, or one version's manifest in detail. */
    @Command(name = "show",
        description = "Show a model: aliases, versions and the full history. With --version: that version's "
            + "manifest (verified against its checksums first): identity, data snapshot, features with "
            + "preprocessing and missing policy, threshold, calibration, metrics, slice metrics, gates, and its "
            + "history entries.")
    static final class ShowModel implements Callable<Integer> {

        // no mixinStandardHelpOptions: its -V/--version would take the --version V this command needs
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--registry", required = true, paramLabel = "DIR", description = "Model registry directory.")
        Path registry;

        @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name.")
        String model;

        @Option(names = "--version", paramLabel = "V", description = "One version in detail.")
        String version;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            final PrintWriter out = spec.commandLine().getOut();
            final ModelRegistry models = RegistryOptions.open(spec, registry);
            RegistryOptions.requireModel(spec, models, model);
            final Aliases aliases = models.aliases(model);
            if (version == null) {
                out.printf("Model %s in %s%n", model, registry);
                out.printf("  champion:   %s%n  challenger: %s%n  previous:   %s%n  known good: %s%n",
                    dash(aliases.champion()), dash(aliases.challenger()), dash(aliases.previous()),
                    aliases.knownGood().isEmpty() ? "-" : String.join(", ", aliases.knownGood()));
                out.println("  versions:   " + String.join(", ", models.versions(model)));
                printHistory(out, models.history(model));
            } else {
                RegistryOptions.requireVersion(spec, models, model, version);
                final ArtifactBundle bundle = models.show(model, version);
                printVersion(out, bundle, aliasesOf(aliases, version));
                printHistory(out, models.history(model).stream().filter(e -> version.equals(e.version())
                    || version.equals(e.fromVersion())).toList());
            }
            out.flush();
            return 0;
        }

        private static void printVersion(final PrintWriter out, final ArtifactBundle bundle,
                                         final List<String> aliases) {
            final Manifest m = bundle.manifest();
            out.printf("Model %s %s%s%n", m.name(), m.version(), aliases.isEmpty() ? ""
                : " (" + String.join(", ", aliases) + ")");
            out.printf("  artifact sha256:  %s%n", bundle.artifactSha256());
            out.printf("  bundle:           %s%n", bundle.dir());
            out.printf("  created at:       %s (git %s)%n", m.createdAt(), m.gitSha());
            out.printf("  config hash:      %s%n", m.configHash());
            out.printf("  dataset snapshot: %s%n", m.datasetSnapshotId());
            out.printf("  feature set hash: %s%n", m.featureSetHash());
            out.printf(Locale.ROOT, "  threshold:        %.6f (mistake budget: %s)%n", m.threshold(),
                m.mistakeBudget());
            out.printf("  calibration:      %s%n", m.calibration());
            out.printf("  engine:           %s%n", m.engine());
            out.printf("  missing policy:   %s (default)%n", m.defaultMissingPolicy());
            out.printf("  features (%d):%n", m.features().size());
            for (final FeatureSpec f : m.features()) {
                out.printf("    %-28s %-11s %s%s%n", f.name(), f.type(), f.missingPolicy(),
                    f.type() == FeatureSpec.Type.CATEGORICAL ? " categories=" + f.categories().size()
                        : " impute=" + f.imputeValue() + " clip=[" + f.clipMin() + ", " + f.clipMax() + "]");
            }
            out.println("  metrics (test split):");
            new TreeMap<>(m.metrics()).forEach((k, v) -> out.printf(Locale.ROOT, "    %-28s %.6g%n", k, v));
            if (!m.sliceMetrics().isEmpty()) {
                out.println("  slice metrics:");
                new TreeMap<>(m.sliceMetrics()).forEach((slice, values) -> out.printf("    %-28s %s%n", slice,
                    compact(values)));
            }
            out.println("  gates:");
            m.gates().forEach(g -> out.println("    " + g));
        }

        private static String compact(final Map<String, Double> values) {
            final List<String> parts = new ArrayList<>();
            new TreeMap<>(values).forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s=%.4g", k, v)));
            return String.join(" ", parts);
        }

        private static void printHistory(final PrintWriter out, final List<HistoryEntry> history) {
            out.println("  history:");
            if (history.isEmpty()) {
                out.println("    (none)");
            }
            for (final HistoryEntry e : history) {
                out.printf("    %s  %-14s %-10s%s by %s: %s%n", e.at(), e.action(), e.version(),
                    e.fromVersion() == null ? "" : " (from " + e.fromVersion() + ")", e.who(), e.why());
            }
        }
    }

    static List<String> aliasesOf(final Aliases aliases, final String version) {
        final List<String> out = new ArrayList<>();
        if (version.equals(aliases.champion())) {
            out.add("champion");
        }
        if (version.equals(aliases.challenger())) {
            out.add("challenger");
        }
        if (version.equals(aliases.previous())) {
            out.add("previous");
        }
        return out;
    }

    private static String metric(final Manifest m, final String key) {
        final Double v = m.metrics().get(key);
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String dash(final String s) {
        return s == null ? "-" : s;
    }
}
