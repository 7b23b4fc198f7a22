package io.driftguard.cli;

import io.driftguard.embedded.EmbeddedStack;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.platform.topics.TopicCatalogue;
import io.driftguard.platform.topics.TopicDefinition;
import io.driftguard.platform.topics.TopicProvisioner;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Starts a local Kafka broker and schema registry in this JVM, creates every driftguard topic and registers every
 * driftguard schema, then runs until Ctrl-C.
 */
@Command(
    name = "dev-stack",
    mixinStandardHelpOptions = true,
    description = "Start a local single-node Kafka broker (KRaft) and a Confluent-compatible schema registry in "
        + "this process, create every driftguard topic, register every driftguard schema under <topic>-value, "
        + "print the addresses, and run until Ctrl-C.")
final class DevStackCommand implements java.util.concurrent.Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DevStackCommand.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--broker-port", defaultValue = "9092", paramLabel = "PORT",
        description = "Kafka broker port (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int brokerPort;

    @Option(names = "--registry-port", defaultValue = "8081", paramLabel = "PORT",
        description = "Schema registry port (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int registryPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Keep broker data (topics, offsets, schemas) here across restarts. "
            + "Default: a temporary directory deleted on exit.")
    Path dataDir;

    @Option(names = "--partitions", defaultValue = "4", paramLabel = "N",
        description = "Partitions of the entity-keyed topics (events, labels, features, predictions, "
            + "predictions-shadow), alerts and dead-letters. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Spec
    CommandSpec spec;

    private final Lifecycle<EmbeddedStack> lifecycle = new Lifecycle<>("dev-stack", Duration.ofSeconds(30));

    @Override
    public Integer call() throws Exception {
        if (partitions < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--partitions must be at least 1, got " + partitions);
        }
        final List<TopicDefinition> topics = TopicCatalogue.of(new TopicSettings(null, null, null, null, null, null,
            null, null, partitions, (short) 1));
        final long startNanos = System.nanoTime();
        try (EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Options(dataDir, brokerPort, registryPort))) {
            final TopicProvisioner.Report report;
            try (Admin admin = stack.admin()) {
                report = TopicProvisioner.ensure(admin, topics, ADMIN_TIMEOUT);
            }
            final Map<String, Integer> subjects;
            try (SchemaRegistryClient registry = stack.registryClient()) {
                subjects = TopicProvisioner.registerSchemas(registry, topics);
            }
            printSummary(stack, topics, report, subjects, Duration.ofNanos(System.nanoTime() - startNanos));
            try (Lifecycle.Guard signals = lifecycle.takeOverSignals()) {
                lifecycle.up(stack);
                lifecycle.awaitStop();
                spec.commandLine().getOut().println("Stopping dev-stack...");
                spec.commandLine().getOut().flush();
            }
        } finally {
            lifecycle.closed();
        }
        LOG.info("dev-stack stopped");
        return 0;
    }

    private void printSummary(final EmbeddedStack stack, final List<TopicDefinition> topics,
                              final TopicProvisioner.Report report, final Map<String, Integer> subjects,
                              final Duration took) {
        final PrintWriter out = spec.commandLine().getOut();
        out.printf("driftguard dev-stack is up (%.1f s)%n", took.toMillis() / 1000.0);
        out.printf("  Kafka bootstrap servers: %s%n", stack.bootstrapServers());
        out.printf("  Schema registry:         %s%n", stack.schemaRegistryUrl());
        out.printf("  Data dir:                %s%n", dataDir == null ? "temporary, deleted on exit" : dataDir);
        out.println("  Topics:");
        for (final TopicDefinition topic : topics) {
            out.printf("    %-22s partitions=%-3d cleanup.policy=%-8s %s%n", topic.name(),
                report.partitions().get(topic.name()), topic.cleanupPolicy().kafkaName(),
                report.created().contains(topic.name()) ? "(created)" : "(existing)");
        }
        out.println("  Schemas:");
        subjects.forEach((subject, id) -> out.printf("    %-28s id=%d%n", subject, id));
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /** Asks a running dev-stack to stop. */
    void stop() {
        lifecycle.stop();
    }

    /** Waits until the stack is up and provisioned; returns it, or null on timeout. */
    EmbeddedStack awaitReady(final Duration timeout) throws InterruptedException {
        return lifecycle.awaitUp(timeout);
    }
}
