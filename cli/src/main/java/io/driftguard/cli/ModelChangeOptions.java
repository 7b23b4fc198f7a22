package io.driftguard.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What every command that moves a model's aliases names: the registry, the model, and who made the change. */
final class ModelChangeOptions {

    @Option(names = "--registry", required = true, paramLabel = "DIR", description = "Model registry directory.")
    Path registry;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name, e.g. fraud.")
    String model;

    @Option(names = "--who", paramLabel = "NAME", description = "Recorded in the history. Default: the OS user.")
    String who;

    /** The actor recorded in the history and the ModelCommand. */
    String actor() {
        return Actor.who(who);
    }
}
