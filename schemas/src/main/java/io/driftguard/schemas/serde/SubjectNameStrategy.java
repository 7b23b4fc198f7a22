package io.driftguard.schemas.serde;

import java.util.Locale;
import org.apache.avro.Schema;

/** Confluent's subject naming strategies. driftguard uses {@link #TOPIC_NAME}: {@code <topic>-key|-value}. */
public enum SubjectNameStrategy {
  TOPIC_NAME,
  RECORD_NAME,
  TOPIC_RECORD_NAME;

  public String subject(final String topic, final boolean isKey, final Schema schema) {
    return switch (this) {
      case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
      case RECORD_NAME -> schema.getFullName();
      case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
    };
  }

  /** Accepts our names and Confluent's class names ({@code io.confluent...TopicNameStrategy}). */
  public static SubjectNameStrategy parse(final String value) {
    final String simple = value.substring(value.lastIndexOf('.') + 1).trim();
    return switch (simple.toLowerCase(Locale.ROOT).replace("_", "")) {
      case "topicnamestrategy", "topicname" -> TOPIC_NAME;
      case "recordnamestrategy", "recordname" -> RECORD_NAME;
      case "topicrecordnamestrategy", "topicrecordname" -> TOPIC_RECORD_NAME;
      default -> throw new IllegalArgumentException("Unknown subject name strategy '" + value
          + "'; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
    };
  }
}
