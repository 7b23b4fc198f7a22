package io.driftguard.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.schemas.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's state, rebuilt by applying {@code _schemas} records in order. Keys and values are JSON in
 * Confluent's layout: {@code {"keytype":"SCHEMA","subject":..,"version":..,"magic":1}} to
 * {@code {"subject":..,"version":..,"id":..,"schema":..,"deleted":..}}, and
 * {@code {"keytype":"CONFIG","subject":..|null,"magic":0}} to {@code {"compatibilityLevel":..}}. A null value is a
 * tombstone (hard delete). Not thread-safe: the registry serializes access.
 */
final class RegistryState {
  static final ObjectMapper JSON = new ObjectMapper();

  record Version(String subject, int version, int id, String schema, boolean deleted) {
  }

  private final Map<Integer, String> schemasById = new HashMap<>();
  private final Map<String, Integer> idsByCanonical = new HashMap<>();
  private final TreeMap<String, TreeMap<Integer, Version>> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private final CompatibilityLevel defaultLevel;
  private int maxId;

  RegistryState(final CompatibilityLevel defaultLevel) {
    this.defaultLevel = defaultLevel;
    this.globalLevel = defaultLevel;
  }

  void apply(final String keyJson, final String valueJson) {
    final JsonNode key;
    final JsonNode value;
    try {
      key = JSON.readTree(keyJson);
      value = valueJson == null ? null : JSON.readTree(valueJson);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Unreadable record in the schemas topic: " + e.getMessage(), e);
    }
    final String type = key.path("keytype").asText();
    switch (type) {
      case "SCHEMA" -> applySchema(key, value);
      case "CONFIG" -> applyConfig(key, value);
      default -> {
        // NOOP and keytypes of newer Confluent versions carry nothing this registry serves.
      }
    }
  }

  private void applySchema(final JsonNode key, final JsonNode value) {
    final String subject = key.path("subject").asText();
    final int version = key.path("version").asInt();
    if (value == null) {
      final TreeMap<Integer, Version> versions = subjects.get(subject);
      if (versions != null) {
        versions.remove(version);
        if (versions.isEmpty()) {
          subjects.remove(subject);
        }
      }
      return;
    }
    final int id = value.path("id").asInt();
    final String schema = value.path("schema").asText();
    final Version entry = new Version(subject, version, id, schema, value.path("deleted").asBoolean(false));
    subjects.computeIfAbsent(subject, s -> new TreeMap<>()).put(version, entry);
    schemasById.putIfAbsent(id, schema);
    idsByCanonical.putIfAbsent(canonical(schema), id);
    maxId = Math.max(maxId, id);
  }

  private void applyConfig(final JsonNode key, final JsonNode value) {
    final JsonNode subjectNode = key.get("subject");
    final String subject = subjectNode == null || subjectNode.isNull() ? null : subjectNode.asText();
    if (value == null) {
      if (subject == null) {
        globalLevel = defaultLevel;
      } else {
        subjectLevels.remove(subject);
      }
      return;
    }
    final CompatibilityLevel level = CompatibilityLevel.parse(value.path("compatibilityLevel").asText());
    if (subject == null) {
      globalLevel = level;
    } else {
      subjectLevels.put(subject, level);
    }
  }

  static String canonical(final String schema) {
    return new Schema.Parser().parse(schema).toString();
  }

  static String schemaKey(final String subject, final int version) {
    final ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "SCHEMA").put("subject", subject).put("version", version).put("magic", 1);
    return key.toString();
  }

  static String schemaValue(final Version version) {
    final ObjectNode value = JSON.createObjectNode();
    value.put("subject", version.subject()).put("version", version.version()).put("id", version.id())
        .put("schema", version.schema()).put("deleted", version.deleted());
    return value.toString();
  }

  static String configKey(final String subjectOrNull) {
    final ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "CONFIG");
    if (subjectOrNull == null) {
      key.putNull("subject");
    } else {
      key.put("subject", subjectOrNull);
    }
    key.put("magic", 0);
    return key.toString();
  }

  static String configValue(final CompatibilityLevel level) {
    return JSON.createObjectNode().put("compatibilityLevel", level.name()).toString();
  }

  /** Live (not soft-deleted) versions, oldest first. */
  List<Version> liveVersions(final String subject) {
    final TreeMap<Integer, Version> versions = subjects.get(subject);
    final List<Version> live = new ArrayList<>();
    if (versions != null) {
      versions.values().stream().filter(v -> !v.deleted()).forEach(live::add);
    }
    return live;
  }

  List<Version> allVersions(final String subject) {
    final TreeMap<Integer, Version> versions = subjects.get(subject);
    return versions == null ? List.of() : List.copyOf(versions.values());
  }

  List<String> subjects(final boolean includeDeleted) {
    final List<String> names = new ArrayList<>();
    subjects.forEach((name, versions) -> {
      if (includeDeleted || versions.values().stream().anyMatch(v -> !v.deleted())) {
        names.add(name);
      }
    });
    return names;
  }

  String schemaById(final int id) {
    return schemasById.get(id);
  }

  List<Version> versionsWithId(final int id) {
    final List<Version> found = new ArrayList<>();
    subjects.values().forEach(versions -> versions.values().stream()
        .filter(v -> v.id() == id && !v.deleted()).forEach(found::add));
    return found;
  }

  Integer idOf(final String canonical) {
    return idsByCanonical.get(canonical);
  }

  int nextId() {
    return maxId + 1;
  }

  int nextVersion(final String subject) {
    final TreeMap<Integer, Version> versions = subjects.get(subject);
    return versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
  }

  CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  CompatibilityLevel subjectLevel(final String subject) {
    return subjectLevels.get(subject);
  }

  CompatibilityLevel effectiveLevel(final String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }
}
