package io.driftguard.schemas.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/** One version of a subject: its subject, version, global id and schema. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
  public RegisteredSchema {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1 for subject '" + subject + "', was " + version);
    }
    if (id < 0) {
      throw new IllegalArgumentException("id must be >= 0 for subject '" + subject + "', was " + id);
    }
  }
}
