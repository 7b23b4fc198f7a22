package io.driftguard.schemas.serde;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Serde behaviour, with Confluent's property names: {@code auto.register.schemas} (default true),
 * {@code use.latest.version} (default false), {@code specific.avro.reader} (default false),
 * {@code key.subject.name.strategy}/{@code value.subject.name.strategy} (default TopicNameStrategy) and
 * {@code specific.avro.key.type}/{@code specific.avro.value.type} (the SpecificRecord class to read into).
 */
public record AvroSerdeConfig(boolean autoRegister, boolean useLatestVersion, boolean specificReader,
    SubjectNameStrategy subjectNameStrategy, Class<?> specificType) {

  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
  public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
  public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";

  public AvroSerdeConfig {
    Objects.requireNonNull(subjectNameStrategy, "subjectNameStrategy");
    if (specificType != null && !org.apache.avro.specific.SpecificRecord.class.isAssignableFrom(specificType)) {
      throw new IllegalArgumentException("Specific Avro type " + specificType.getName()
          + " does not implement org.apache.avro.specific.SpecificRecord");
    }
  }

  /** Auto-register on, latest-version off, generic reader, TopicNameStrategy. */
  public static AvroSerdeConfig defaults() {
    return new AvroSerdeConfig(true, false, false, SubjectNameStrategy.TOPIC_NAME, null);
  }

  public AvroSerdeConfig withAutoRegister(final boolean value) {
    return new AvroSerdeConfig(value, useLatestVersion, specificReader, subjectNameStrategy, specificType);
  }

  public AvroSerdeConfig withUseLatestVersion(final boolean value) {
    return new AvroSerdeConfig(autoRegister, value, specificReader, subjectNameStrategy, specificType);
  }

  public AvroSerdeConfig withSpecificType(final Class<?> type) {
    return new AvroSerdeConfig(autoRegister, useLatestVersion, type != null || specificReader, subjectNameStrategy,
        type);
  }

  public static AvroSerdeConfig fromConfigs(final Map<String, ?> configs, final boolean isKey) {
    final String strategy = string(configs, isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY);
    final String typeName = string(configs, isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE);
    Class<?> type = null;
    if (configs.get(isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE) instanceof Class<?> cls) {
      type = cls;
    } else if (typeName != null && !typeName.isBlank()) {
      try {
        type = Class.forName(typeName.trim(), true, Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader() : AvroSerdeConfig.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException("Config '" + (isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE)
            + "': class '" + typeName + "' not found", e);
      }
    }
    return new AvroSerdeConfig(bool(configs, AUTO_REGISTER_SCHEMAS, true), bool(configs, USE_LATEST_VERSION, false),
        bool(configs, SPECIFIC_AVRO_READER, false) || type != null,
        strategy == null || strategy.isBlank() ? SubjectNameStrategy.TOPIC_NAME : SubjectNameStrategy.parse(strategy),
        type);
  }

  private static String string(final Map<String, ?> configs, final String key) {
    final Object value = configs.get(key);
    if (value instanceof Class<?> cls) {
      return cls.getName();
    }
    return value == null ? null : value.toString();
  }

  private static boolean bool(final Map<String, ?> configs, final String key, final boolean fallback) {
    final Object value = configs.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    final String text = value.toString().trim().toLowerCase(Locale.ROOT);
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException("Config '" + key + "' must be true or false, was '" + value + "'");
  }
}
