package io.driftguard.model.pipeline;

import io.driftguard.avro.Label;
import io.driftguard.avro.Transaction;
import io.driftguard.model.synth.SynthConfig;
import io.driftguard.model.synth.SyntheticAvroFiles;
import io.driftguard.model.synth.SyntheticDataGenerator;
import io.driftguard.model.synth.SyntheticJsonLines;
import io.driftguard.model.synth.TimedRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Where the historical events and labels come from. Events are returned in arrival order. */
public sealed interface DataSource {

  /** Historical events (arrival order) and every label known to the source. */
  record History(List<Transaction> events, List<Label> labels) {
    public History {
      events = List.copyOf(events);
      labels = List.copyOf(labels);
    }
  }

  History load() throws IOException;

  /** What the source is, for reports. */
  String describe();

  /** The synthetic generator's timeline (transactions in publication order, every label it produces). */
  static DataSource generator(final SynthConfig config) {
    return new Generator(Objects.requireNonNull(config, "generator config"));
  }

  /** Avro container files of Transaction (in arrival order) and Label, as {@code driftguard generate} writes. */
  static DataSource avroFiles(final Path transactions, final Path labels) {
    return new AvroFiles(Objects.requireNonNull(transactions, "transactions file"),
        Objects.requireNonNull(labels, "labels file"));
  }

  /** A JSON-lines timeline of transactions and labels, as {@code driftguard generate} writes. */
  static DataSource jsonLines(final Path file) {
    return new JsonLines(Objects.requireNonNull(file, "JSON-lines file"));
  }

  /** Events and labels already in memory. */
  static DataSource of(final List<Transaction> events, final List<Label> labels) {
    return new InMemory(new History(events, labels));
  }

  /** The generator source. */
  record Generator(SynthConfig config) implements DataSource {
    @Override
    public History load() {
      try (Stream<TimedRecord> timeline = SyntheticDataGenerator.create(config).timeline()) {
        return split(timeline);
      }
    }

    @Override
    public String describe() {
      return "generator seed=" + config.seed() + " cards=" + config.cards() + " from " + config.start() + " for "
          + config.duration() + " (" + config.eventsPerCardDay() + " payments per card-day)";
    }
  }

  /** The Avro-files source. */
  record AvroFiles(Path transactions, Path labels) implements DataSource {
    @Override
    public History load() throws IOException {
      requireFile(transactions, "transactions");
      requireFile(labels, "labels");
      return new History(SyntheticAvroFiles.readTransactions(transactions), SyntheticAvroFiles.readLabels(labels));
    }

    @Override
    public String describe() {
      return "Avro files " + transactions + " and " + labels;
    }
  }

  /** The JSON-lines source. */
  record JsonLines(Path file) implements DataSource {
    @Override
    public History load() throws IOException {
      requireFile(file, "JSON-lines timeline");
      try (Stream<TimedRecord> timeline = SyntheticJsonLines.read(file)) {
        return split(timeline);
      }
    }

    @Override
    public String describe() {
      return "JSON lines " + file;
    }
  }

  /** The in-memory source. */
  record InMemory(History history) implements DataSource {
    @Override
    public History load() {
      return history;
    }

    @Override
    public String describe() {
      return "in-memory (" + history.events().size() + " events, " + history.labels().size() + " labels)";
    }
  }

  private static History split(final Stream<TimedRecord> timeline) {
    final List<Transaction> events = new ArrayList<>();
    final List<Label> labels = new ArrayList<>();
    timeline.forEach(r -> {
      if (r.isTransaction()) {
        events.add((Transaction) r.value());
      } else if (r.isLabel()) {
        labels.add((Label) r.value());
      }
    });
    return new History(events, labels);
  }

  private static void requireFile(final Path file, final String what) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(what + " file not found: " + file);
    }
  }
}
