package io.driftguard.cli;

import io.driftguard.avro.ModelAction;
import io.driftguard.model.registry.Aliases;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.platform.config.DriftguardConfig;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Moves the champion back to the previous known-good version; never retrains. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
        "Roll a model's champion back to its previous known-good version. Never retrains: the earlier verified "
            + "artifact is reused. Repeated rollbacks walk further back; with nothing to roll back to it refuses "
            + "(exit 1).",
        "With --bootstrap-servers a ROLLBACK ModelCommand keyed by the model name is published to model-control, "
            + "where scoring-stream switches at the next record."})
final class RollbackCommand implements Callable<Integer> {

    @Mixin
    ModelChangeOptions target;

    @Option(names = "--why", paramLabel = "TEXT", defaultValue = "rolled back with driftguard rollback",
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
        final DriftguardConfig clusterConfig = cluster.given() ? cluster.config(spec, env, "driftguard-cli") : null;
        final String actor = target.actor();
        final String from = models.aliases(target.model).champion();
        final Aliases after = models.rollback(target.model, actor, why);
        out.printf("Rolled %s back from %s to %s (previous now: %s).%n", target.model, from, after.champion(),
            after.previous());
        out.flush();
        if (clusterConfig != null) {
            PromoteCommand.publish(out, clusterConfig,
                ModelControlPublisher.command(target.model, ModelAction.ROLLBACK, null, actor, why, Instant.now()));
        }
        return 0;
    }
}
