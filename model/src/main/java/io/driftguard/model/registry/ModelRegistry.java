package io.driftguard.model.registry;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.driftguard.model.FileOps;
import io.driftguard.model.Json;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.gates.GateResult;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model registry on a file system:
 * <pre>
 * root/
 *   name/
 *     versions/version/   verified bundle copies (manifest.json, model.json, checksums.sha256)
 *     aliases.json        champion, challenger, previous, knownGood stack
 *     history.jsonl       append-only audit log, one JSON object per line
 * </pre>
 * Alias files are replaced atomically (temp file + atomic rename); mutations of one model are serialised
 * by a lock file, so two CLI processes cannot interleave.
 */
public final class ModelRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
  static final String ALIASES = "aliases.json";
  static final String HISTORY = "history.jsonl";
  static final String VERSIONS = "versions";
  private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";

  private static final ObjectWriter LINE_WRITER = Json.json().writer().without(SerializationFeature.INDENT_OUTPUT);

  private final Path root;
  private final Clock clock;

  public ModelRegistry(final Path root, final Clock clock) {
    this.root = Objects.requireNonNull(root, "root");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Path root() {
    return root;
  }

  /** Copies a verified bundle into {@code name/versions/version/}, verifies the copy and records it. */
  public synchronized ArtifactBundle register(final ArtifactBundle bundle, final String who, final String why)
      throws IOException {
    audit(who, why);
    final ArtifactBundle source = bundle.reverify();
    final String name = source.manifest().name();
    final String version = source.manifest().version();
    return locked(name, () -> {
      final Path versions = modelDir(name).resolve(VERSIONS);
      Files.createDirectories(versions);
      final Path target = versions.resolve(version);
      if (Files.exists(target)) {
        throw new FileAlreadyExistsException(target.toString(), null, "model " + name + " version " + version
            + " is already registered");
      }
      final Path staging = FileOps.stagingSibling(target);
      Files.createDirectory(staging);
      try {
        try (Stream<Path> files = Files.list(source.dir())) {
          for (final Path f : files.sorted().toList()) {
            Files.copy(f, staging.resolve(f.getFileName().toString()));
          }
        }
        final ArtifactBundle copy = ArtifactBundle.load(staging, source.manifest().featureSetHash());
        if (!copy.artifactSha256().equals(source.artifactSha256())) {
          throw new IOException("copy of " + source.dir() + " differs from its source");
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        FileOps.deleteRecursively(staging);
      }
      final ArtifactBundle registered = ArtifactBundle.load(target, source.manifest().featureSetHash());
      append(name, new HistoryEntry(clock.instant(), who, HistoryEntry.Action.REGISTER, version, null, why,
          registered.artifactSha256()));
      LOG.info("registered {} {} (sha256 {}) by {}", name, version, registered.artifactSha256(), who);
      return registered;
    });
  }

  /** Registered model names, sorted. */
  public List<String> models() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(p -> Files.isDirectory(p.resolve(VERSIONS)))
          .map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Registered versions of a model, in registration order. */
  public List<String> versions(final String name) throws IOException {
    final List<String> out = new ArrayList<>();
    for (final HistoryEntry e : history(name)) {
      if (e.action() == HistoryEntry.Action.REGISTER) {
        out.add(e.version());
      }
    }
    return out;
  }

  /** The registered bundle of a version, verified again on every call. */
  public ArtifactBundle show(final String name, final String version) {
    if (version == null || !version.matches(NAME_PATTERN)) {
      throw new IllegalArgumentException("version '" + version + "' is not a valid registry version");
    }
    final Path dir = modelDir(name).resolve(VERSIONS).resolve(version);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("model " + name + " has no registered version '" + version + "'");
    }
    return ArtifactBundle.load(dir);
  }

  public Aliases aliases(final String name) throws IOException {
    final Path file = modelDir(name).resolve(ALIASES);
    return Files.exists(file) ? Json.json().readValue(file.toFile(), Aliases.class) : Aliases.empty();
  }

  /** The champion's bundle, if there is one. */
  public Optional<ArtifactBundle> champion(final String name) throws IOException {
    final String v = aliases(name).champion();
    return v == null ? Optional.empty() : Optional.of(show(name, v));
  }

  /**
   * Makes {@code version} the champion; the old champion becomes {@code previous}. Refused unless the
   * gate result passed.
   */
  public synchronized Aliases promote(final String name, final String version, final GateResult gates,
      final String who, final String why) throws IOException {
    Objects.requireNonNull(gates, "gates");
    audit(who, why);
    if (!gates.passed()) {
      throw new PromotionRefusedException("promotion of " + name + " " + version + " refused: gates did not pass\n"
          + gates.report());
    }
    return locked(name, () -> {
      final ArtifactBundle bundle = show(name, version);
      final Aliases before = aliases(name);
      if (version.equals(before.champion())) {
        throw new PromotionRefusedException("model " + name + " " + version + " is already the champion");
      }
      final Aliases after = before.promote(version);
      writeAliases(name, after);
      append(name, new HistoryEntry(clock.instant(), who, HistoryEntry.Action.PROMOTE, version, before.champion(),
          why, bundle.artifactSha256()));
      LOG.info("promoted {} {} (was {}) by {}", name, version, before.champion(), who);
      return after;
    });
  }

  /**
   * Returns the champion to the last known-good version. Never retrains; repeated rollbacks walk further
   * back through earlier champions.
   */
  public synchronized Aliases rollback(final String name, final String who, final String why) throws IOException {
    audit(who, why);
    return locked(name, () -> {
      final Aliases before = aliases(name);
      if (before.previous() == null) {
        throw new PromotionRefusedException("model " + name + " has no previous known-good version to roll back to"
            + (before.champion() == null ? " (no champion either)" : " (champion is " + before.champion() + ")"));
      }
      final Aliases after = before.rollback();
      final ArtifactBundle bundle = show(name, after.champion());
      writeAliases(name, after);
      append(name, new HistoryEntry(clock.instant(), who, HistoryEntry.Action.ROLLBACK, after.champion(),
          before.champion(), why, bundle.artifactSha256()));
      LOG.warn("rolled back {} from {} to {} by {}: {}", name, before.champion(), after.champion(), who, why);
      return after;
    });
  }

  /** Marks a registered version as the challenger (shadow/canary candidate). */
  public synchronized Aliases setChallenger(final String name, final String version, final String who,
      final String why) throws IOException {
    audit(who, why);
    return locked(name, () -> {
      final ArtifactBundle bundle = show(name, version);
      final Aliases before = aliases(name);
      final Aliases after = before.withChallenger(version);
      writeAliases(name, after);
      append(name, new HistoryEntry(clock.instant(), who, HistoryEntry.Action.SET_CHALLENGER, version,
          before.challenger(), why, bundle.artifactSha256()));
      return after;
    });
  }

  public List<HistoryEntry> history(final String name) throws IOException {
    final Path file = modelDir(name).resolve(HISTORY);
    if (!Files.exists(file)) {
      return List.of();
    }
    final List<HistoryEntry> out = new ArrayList<>();
    for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(Json.json().readValue(line, HistoryEntry.class));
      }
    }
    return out;
  }

  /** Every recorded action says who did it and why. */
  private static void audit(final String who, final String why) {
    if (who == null || who.isBlank()) {
      throw new IllegalArgumentException("who must name the user or component acting on the registry");
    }
    if (why == null || why.isBlank()) {
      throw new IllegalArgumentException("why must give the reason for the registry action");
    }
  }

  private Path modelDir(final String name) {
    if (name == null || !name.matches(NAME_PATTERN)) {
      throw new IllegalArgumentException("model name '" + name + "' is not a valid registry name");
    }
    return root.resolve(name);
  }

  private void writeAliases(final String name, final Aliases aliases) throws IOException {
    FileOps.writeAtomically(modelDir(name).resolve(ALIASES), Json.json().writeValueAsBytes(aliases));
  }

  private void append(final String name, final HistoryEntry entry) throws IOException {
    final byte[] line = (LINE_WRITER.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
    Files.write(modelDir(name).resolve(HISTORY), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.SYNC);
  }

  private interface IoAction<T> {
    T run() throws IOException;
  }

  private <T> T locked(final String name, final IoAction<T> action) throws IOException {
    final Path dir = modelDir(name);
    Files.createDirectories(dir);
    try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
      return action.run();
    }
  }
}
