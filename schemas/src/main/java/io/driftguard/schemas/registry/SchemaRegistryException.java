package io.driftguard.schemas.registry;

/**
 * A failure reported by (or while talking to) a schema registry. {@link #errorCode()} is Confluent's error code
 * (e.g. 40401 subject not found, 409 incompatible); {@link #httpStatus()} is the HTTP status, or -1 when the registry
 * could not be reached or answered with something unreadable.
 */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int SUBJECT_SOFT_DELETED = 40404;
  public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
  public static final int INCOMPATIBLE_SCHEMA = 409;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INVALID_VERSION = 42202;
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
  public static final int UNAUTHORIZED = 401;
  public static final int STORE_ERROR = 50001;
  public static final int OPERATION_TIMEOUT = 50002;
  public static final int FORWARDING_ERROR = 50003;
  /** Client-side: the registry could not be reached or its answer could not be read. */
  public static final int TRANSPORT_ERROR = -1;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(final int httpStatus, final int errorCode, final String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(final int httpStatus, final int errorCode, final String message,
      final Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int errorCode() {
    return errorCode;
  }

  public boolean isSubjectNotFound() {
    return errorCode == SUBJECT_NOT_FOUND;
  }

  public boolean isVersionNotFound() {
    return errorCode == VERSION_NOT_FOUND;
  }

  public boolean isSchemaNotFound() {
    return errorCode == SCHEMA_NOT_FOUND;
  }

  public boolean isNotFound() {
    return httpStatus == 404 || errorCode / 100 == 404;
  }

  public boolean isIncompatible() {
    return errorCode == INCOMPATIBLE_SCHEMA;
  }

  public boolean isInvalidSchema() {
    return errorCode == INVALID_SCHEMA;
  }

  /** A name for the error code, for messages and logs. */
  public static String describe(final int errorCode) {
    return switch (errorCode) {
      case SUBJECT_NOT_FOUND -> "subject not found";
      case VERSION_NOT_FOUND -> "version not found";
      case SCHEMA_NOT_FOUND -> "schema not found";
      case SUBJECT_SOFT_DELETED -> "subject soft-deleted";
      case SUBJECT_COMPATIBILITY_NOT_CONFIGURED -> "subject compatibility not configured";
      case INCOMPATIBLE_SCHEMA -> "incompatible schema";
      case INVALID_SCHEMA -> "invalid schema";
      case INVALID_VERSION -> "invalid version";
      case INVALID_COMPATIBILITY_LEVEL -> "invalid compatibility level";
      case UNAUTHORIZED -> "unauthorized";
      case STORE_ERROR -> "registry store error";
      case OPERATION_TIMEOUT -> "registry operation timeout";
      case FORWARDING_ERROR -> "registry forwarding error";
      case TRANSPORT_ERROR -> "registry unreachable or unreadable";
      default -> errorCode >= 50000 && errorCode < 60000 ? "registry server error" : "registry error";
    };
  }
}
