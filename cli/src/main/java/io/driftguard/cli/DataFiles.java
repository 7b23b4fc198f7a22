package io.driftguard.cli;

import io.driftguard.model.pipeline.DataSource;
import io.driftguard.model.pipeline.PipelineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Resolves {@code --data} to a data source: the directory {@code generate} wrote, one JSON-lines timeline, or a
 * transactions and a labels Avro file. Without {@code --data} the pipeline config's generator section is used.
 */
final class DataFiles {

    static final String JSONL_FILE = "timeline.jsonl";
    static final String TRANSACTIONS_AVRO = "transactions.avro";
    static final String LABELS_AVRO = "labels.avro";
    static final String DESCRIPTION = "History to use: a directory written by 'driftguard generate', a JSON-lines "
        + "timeline (.jsonl), or two Avro files TRANSACTIONS,LABELS. Default: the config's generator section.";

    private DataFiles() {
    }

    /** The data source, or null for the config's generator (which must then exist). */
    static DataSource resolve(final CommandSpec spec, final List<Path> data, final PipelineConfig config) {
        if (data == null || data.isEmpty()) {
            if (config.generator() == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--data is required: the training config has no 'generator' section");
            }
            return null;
        }
        if (data.size() == 2) {
            data.forEach(p -> requireFile(spec, p));
            return DataSource.avroFiles(data.get(0), data.get(1));
        }
        if (data.size() > 2) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--data takes one directory or file, or two Avro files TRANSACTIONS,LABELS; got " + data.size());
        }
        final Path path = data.get(0);
        if (Files.isDirectory(path)) {
            final Path jsonl = path.resolve(JSONL_FILE);
            final Path transactions = path.resolve(TRANSACTIONS_AVRO);
            final Path labels = path.resolve(LABELS_AVRO);
            if (Files.isRegularFile(transactions) && Files.isRegularFile(labels)) {
                return DataSource.avroFiles(transactions, labels);
            }
            if (Files.isRegularFile(jsonl)) {
                return DataSource.jsonLines(jsonl);
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "--data: directory " + path + " holds "
                + "neither " + JSONL_FILE + " nor " + TRANSACTIONS_AVRO + " and " + LABELS_AVRO);
        }
        requireFile(spec, path);
        if (path.getFileName().toString().endsWith(".avro")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data: an Avro file needs its partner: "
                + "give TRANSACTIONS.avro,LABELS.avro");
        }
        return DataSource.jsonLines(path);
    }

    /** The pipeline config from a file, or the checked-in demo config. Bad configs are usage errors naming the key. */
    static PipelineConfig config(final CommandSpec spec, final Path file) throws IOException {
        try {
            return file == null ? PipelineConfig.loadResource(PipelineConfig.DEMO_RESOURCE) : PipelineConfig.load(file);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--config: " + e.getMessage());
        }
    }

    private static void requireFile(final CommandSpec spec, final Path p) {
        if (!Files.isRegularFile(p)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data: no such file " + p);
        }
    }
}
