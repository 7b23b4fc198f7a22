package io.driftguard.schemas;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** Finds fields marked {@code "pii": true} in an Avro schema, so they can be kept out of features, predictions, logs. */
public final class Pii {
  public static final String PII_PROPERTY = "pii";

  private Pii() {
  }

  /**
   * Returns dotted paths of every field marked {@code "pii": true} (also the string "true"), recursing through nested
   * records, unions, arrays ({@code items[]}) and maps ({@code values{}}), e.g. {@code customerEmail} or
   * {@code customer.address.street}. Recursive schemas are visited once per record type on a path.
   */
  public static List<String> piiFields(final Schema schema) {
    final List<String> paths = new ArrayList<>();
    walk(schema, "", paths, new IdentityHashMap<>());
    return List.copyOf(paths);
  }

  private static void walk(final Schema schema, final String prefix, final List<String> paths,
      final Map<Schema, Boolean> onPath) {
    switch (schema.getType()) {
      case RECORD -> {
        if (onPath.put(schema, Boolean.TRUE) != null) {
          return;
        }
        for (final Schema.Field field : schema.getFields()) {
          final String path = prefix.isEmpty() ? field.name() : prefix + "." + field.name();
          if (isMarked(field.getObjectProp(PII_PROPERTY)) || isMarked(field.schema().getObjectProp(PII_PROPERTY))) {
            paths.add(path);
          }
          walk(field.schema(), path, paths, onPath);
        }
        onPath.remove(schema);
      }
      case UNION -> schema.getTypes().forEach(branch -> walk(branch, prefix, paths, onPath));
      case ARRAY -> walk(schema.getElementType(), prefix + "[]", paths, onPath);
      case MAP -> walk(schema.getValueType(), prefix + "{}", paths, onPath);
      default -> {
        // Primitives, enums and fixed have no fields.
      }
    }
  }

  private static boolean isMarked(final Object value) {
    return Boolean.TRUE.equals(value) || "true".equals(value);
  }
}
