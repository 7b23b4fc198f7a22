package io.driftguard.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Repository YAML and JSON files as Jackson trees. */
final class Yaml {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  private Yaml() {}

  static JsonNode yaml(final String relative) {
    try {
      return YAML.readTree(Repo.read(relative));
    } catch (final IOException e) {
      throw new UncheckedIOException(relative + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  static JsonNode json(final String relative) {
    try {
      return JSON.readTree(Repo.read(relative));
    } catch (final IOException e) {
      throw new UncheckedIOException(relative + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}
