package io.driftguard.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * A client of a Confluent-compatible schema registry (Confluent, Karapace, Apicurio ccompat or driftguard's embedded
 * one). Every failure reported by the registry surfaces as a {@link SchemaRegistryException} carrying the HTTP status
 * and the Confluent error code.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
  int register(String subject, Schema schema);

  /** Returns the id of {@code schema} if it is already registered under {@code subject}; never registers. */
  int getId(String subject, Schema schema);

  /** Returns the schema with the given global id. */
  Schema getById(int id);

  /** Returns the newest version registered under {@code subject}. */
  RegisteredSchema getLatest(String subject);

  /** Returns the given version of {@code subject}. */
  RegisteredSchema getVersion(String subject, int version);

  /** Returns the version numbers registered under {@code subject}, oldest first. */
  List<Integer> versions(String subject);

  /** Returns every subject with at least one live version, sorted. */
  List<String> subjects();

  /**
   * Returns whether {@code schema} may be registered under {@code subject} given the subject's compatibility level.
   * A subject without versions accepts any schema.
   */
  boolean isCompatible(String subject, Schema schema);

  /** Returns the compatibility level of the subject (falling back to the global one), or the global one for null. */
  String getCompatibility(String subjectOrNull);

  /** Sets the compatibility level of the subject, or the global one for null. See {@link CompatibilityLevel}. */
  void setCompatibility(String subjectOrNull, String level);

  /** Soft-deletes every version of {@code subject} and returns the deleted version numbers. */
  List<Integer> deleteSubject(String subject);

  @Override
  default void close() {
    // Nothing to release by default.
  }
}
