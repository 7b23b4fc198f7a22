package io.driftguard.cli;

import io.driftguard.model.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Opens the model registry a command names and checks the names it is given (a bad one is a usage error). */
final class RegistryOptions {

    private RegistryOptions() {
    }

    static ModelRegistry open(final CommandSpec spec, final Path root) {
        if (!Files.isDirectory(root)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--registry: no model registry directory at " + root);
        }
        return new ModelRegistry(root, Clock.systemUTC());
    }

    static void requireModel(final CommandSpec spec, final ModelRegistry registry, final String model)
        throws IOException {
        final List<String> models = registry.models();
        if (!models.contains(model)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model: no model '" + model
                + "' in registry " + registry.root() + (models.isEmpty() ? " (it holds no models)"
                : " (models: " + String.join(", ", models) + ")"));
        }
    }

    static void requireVersion(final CommandSpec spec, final ModelRegistry registry, final String model,
                               final String version) throws IOException {
        final List<String> versions = registry.versions(model);
        if (!versions.contains(version)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--version: model '" + model
                + "' has no registered version '" + version + "' (versions: " + String.join(", ", versions) + ")");
        }
    }
}
