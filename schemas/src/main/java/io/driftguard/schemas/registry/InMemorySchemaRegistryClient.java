package io.driftguard.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry held in memory, for TopologyTestDriver tests and offline tools. It behaves like a Confluent registry:
 * global increasing ids from 1, the same schema gets the same id, compatibility is checked with Avro's
 * {@link org.apache.avro.SchemaCompatibility} (BACKWARD unless set), and failures raise
 * {@link SchemaRegistryException} with Confluent's error codes. Thread-safe.
 *
 * <p>Serdes configured with {@code schema.registry.url=mock://<scope>} share {@link #forScope(String)}.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
  private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, Integer> idsByCanonical = new HashMap<>();
  private final Map<String, TreeMap<Integer, RegisteredSchema>> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int nextId = 1;

  /** The shared in-memory registry behind {@code mock://scope}. */
  public static InMemorySchemaRegistryClient forScope(final String scope) {
    return SCOPES.computeIfAbsent(Objects.requireNonNull(scope, "scope"), s -> new InMemorySchemaRegistryClient());
  }

  /** Forgets the registry behind {@code mock://scope}, e.g. after a test class. */
  public static void dropScope(final String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(final String subject, final Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    final TreeMap<Integer, RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new TreeMap<>());
    for (final RegisteredSchema existing : versions.values()) {
      if (existing.schema().equals(schema)) {
        return existing.id();
      }
    }
    final List<String> problems = level(subject).problems(schema, versions.values().stream()
        .map(RegisteredSchema::schema).toList());
    if (!problems.isEmpty()) {
      if (versions.isEmpty()) {
        subjects.remove(subject);
      }
      throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
          "Schema being registered is incompatible with an earlier schema for subject '" + subject + "' ("
              + level(subject) + "): " + String.join("; ", problems));
    }
    final int id = idsByCanonical.computeIfAbsent(schema.toString(), canonical -> nextId++);
    schemasById.putIfAbsent(id, schema);
    final int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
    versions.put(version, new RegisteredSchema(subject, version, id, schema));
    return id;
  }

  @Override
  public synchronized int getId(final String subject, final Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    for (final RegisteredSchema existing : existingVersions(subject).values()) {
      if (existing.schema().equals(schema)) {
        return existing.id();
      }
    }
    throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
        "Schema not found under subject '" + subject + "'");
  }

  @Override
  public synchronized Schema getById(final int id) {
    final Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
          "Schema id " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema getLatest(final String subject) {
    requireSubject(subject);
    return existingVersions(subject).lastEntry().getValue();
  }

  @Override
  public synchronized RegisteredSchema getVersion(final String subject, final int version) {
    requireSubject(subject);
    final RegisteredSchema found = existingVersions(subject).get(version);
    if (found == null) {
      throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND,
          "Version " + version + " not found for subject '" + subject + "'");
    }
    return found;
  }

  @Override
  public synchronized List<Integer> versions(final String subject) {
    requireSubject(subject);
    return List.copyOf(existingVersions(subject).keySet());
  }

  @Override
  public synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  @Override
  public synchronized boolean isCompatible(final String subject, final Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    final TreeMap<Integer, RegisteredSchema> versions = subjects.get(subject);
    if (versions == null) {
      return true;
    }
    return level(subject).problems(schema, versions.values().stream().map(RegisteredSchema::schema).toList())
        .isEmpty();
  }

  @Override
  public synchronized String getCompatibility(final String subjectOrNull) {
    return subjectOrNull == null ? globalLevel.name() : level(subjectOrNull).name();
  }

  @Override
  public synchronized void setCompatibility(final String subjectOrNull, final String level) {
    final CompatibilityLevel parsed;
    try {
      parsed = CompatibilityLevel.parse(level);
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, e.getMessage(), e);
    }
    if (subjectOrNull == null) {
      globalLevel = parsed;
    } else {
      subjectLevels.put(subjectOrNull, parsed);
    }
  }

  @Override
  public synchronized List<Integer> deleteSubject(final String subject) {
    requireSubject(subject);
    final List<Integer> deleted = new ArrayList<>(existingVersions(subject).keySet());
    subjects.remove(subject);
    return deleted;
  }

  private CompatibilityLevel level(final String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private TreeMap<Integer, RegisteredSchema> existingVersions(final String subject) {
    final TreeMap<Integer, RegisteredSchema> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
          "Subject '" + subject + "' not found");
    }
    return versions;
  }

  private static void requireSubject(final String subject) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("Subject must not be blank");
    }
  }
}
