package io.driftguard.platform.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a YAML/env tree (maps, lists, scalars) to config records through their canonical constructors, so every
 * record's compact constructor validates. Kept by hand rather than Jackson data binding so every error names the full
 * dotted key.
 */
final class RecordBinder {

    private RecordBinder() {
    }

    static <T extends Record> T bind(final Class<T> type, final Map<String, ?> tree, final String path) {
        final RecordComponent[] components = type.getRecordComponents();
        final Map<String, ?> values = tree == null ? Map.of() : tree;
        final List<String> known = Arrays.stream(components).map(RecordComponent::getName).toList();
        for (final String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigException(join(path, key), "unknown key; known keys here: " + String.join(", ", known));
            }
        }
        final Object[] args = new Object[components.length];
        final Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            final RecordComponent component = components[i];
            types[i] = component.getType();
            args[i] = convert(component.getGenericType(), values.get(component.getName()),
                join(path, component.getName()));
            if (args[i] == null && component.getType().isPrimitive()) {
                throw new ConfigException(join(path, component.getName()), "is required but missing");
            }
        }
        try {
            final Constructor<T> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (final InvocationTargetException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof ConfigException configException) {
                throw configException.under(path);
            }
            throw new ConfigException(path.isEmpty() ? type.getSimpleName() : path, String.valueOf(cause.getMessage()));
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct config record " + type.getName(), e);
        }
    }

    /** Dotted paths of every leaf (non-record) component, for mapping environment variables. */
    static List<String> leafPaths(final Class<? extends Record> type, final String path) {
        final List<String> paths = new ArrayList<>();
        for (final RecordComponent component : type.getRecordComponents()) {
            final String child = join(path, component.getName());
            if (component.getType().isRecord()) {
                @SuppressWarnings("unchecked") final Class<? extends Record> nested =
                    (Class<? extends Record>) component.getType();
                paths.addAll(leafPaths(nested, child));
            } else {
                paths.add(child);
            }
        }
        return paths;
    }

    static String join(final String path, final String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(final Type type, final Object raw, final String path) {
        final Class<?> rawClass = rawClass(type);
        if (rawClass.isRecord()) {
            if (raw != null && !(raw instanceof Map)) {
                throw new ConfigException(path, "expected a section (a map of keys), got '" + raw + "'");
            }
            return bind((Class<? extends Record>) rawClass, (Map<String, ?>) raw, path);
        }
        if (raw == null) {
            return null;
        }
        if (Map.class.isAssignableFrom(rawClass)) {
            return convertMap(type, raw, path);
        }
        if (List.class.isAssignableFrom(rawClass)) {
            return convertList(type, raw, path);
        }
        if (raw instanceof Map || raw instanceof Collection) {
            throw new ConfigException(path, "expected a single value, got a " + (raw instanceof Map ? "map" : "list"));
        }
        final String text = String.valueOf(raw).trim();
        try {
            if (rawClass == String.class) {
                return String.valueOf(raw);
            }
            if (rawClass == Integer.class || rawClass == int.class) {
                return raw instanceof Number n && n.doubleValue() == n.intValue() ? n.intValue() : Integer.valueOf(text);
            }
            if (rawClass == Long.class || rawClass == long.class) {
                return raw instanceof Number n && n.doubleValue() == n.longValue() ? n.longValue() : Long.valueOf(text);
            }
            if (rawClass == Short.class || rawClass == short.class) {
                return Short.valueOf(text);
            }
            if (rawClass == Double.class || rawClass == double.class) {
                return raw instanceof Number n ? n.doubleValue() : Double.valueOf(text);
            }
            if (rawClass == Boolean.class || rawClass == boolean.class) {
                return parseBoolean(text, path);
            }
            if (rawClass == Duration.class) {
                return Durations.parse(text);
            }
            if (rawClass == Path.class) {
                return Path.of(text);
            }
            if (rawClass == URI.class) {
                return new URI(text);
            }
            if (rawClass.isEnum()) {
                return parseEnum((Class<? extends Enum>) rawClass, text, path);
            }
        } catch (final NumberFormatException e) {
            throw new ConfigException(path, "expected " + describe(rawClass) + ", got '" + raw + "'");
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(path, e.getMessage());
        } catch (final URISyntaxException e) {
            throw new ConfigException(path, "expected a URI, got '" + raw + "': " + e.getReason());
        }
        throw new IllegalStateException("config type " + type + " at '" + path + "' is not supported by the binder");
    }

    private static Map<String, Object> convertMap(final Type type, final Object raw, final String path) {
        final Type valueType = typeArgument(type, 1);
        final Map<String, Object> entries = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> entries.put(String.valueOf(k), v));
        } else if (raw instanceof String text) {
            // environment form: k1=v1,k2=v2
            for (final String pair : text.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                final int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException(path, "expected entries like key=value,key2=value2, got '" + text + "'");
                }
                entries.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        } else {
            throw new ConfigException(path, "expected a map, got '" + raw + "'");
        }
        final Map<String, Object> converted = new LinkedHashMap<>();
        entries.forEach((k, v) -> converted.put(k, convert(valueType, v, join(path, k))));
        return converted;
    }

    private static List<Object> convertList(final Type type, final Object raw, final String path) {
        final Type elementType = typeArgument(type, 0);
        final List<?> items;
        if (raw instanceof List<?> list) {
            items = list;
        } else if (raw instanceof String text) {
            items = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        } else {
            items = List.of(raw);
        }
        final List<Object> converted = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            converted.add(convert(elementType, items.get(i), path + "[" + i + "]"));
        }
        return converted;
    }

    private static Boolean parseBoolean(final String text, final String path) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            default -> throw new ConfigException(path, "expected true or false, got '" + text + "'");
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parseEnum(final Class<? extends Enum> type, final String text, final String path) {
        for (final Enum constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.replace('-', '_'))) {
                return constant;
            }
        }
        final String allowed = Arrays.stream(type.getEnumConstants())
            .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        throw new ConfigException(path, "expected one of " + allowed + ", got '" + text + "'");
    }

    private static String describe(final Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
            || type == Short.class || type == short.class) {
            return "a whole number";
        }
        return "a number";
    }

    private static Class<?> rawClass(final Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported config type " + type);
    }

    private static Type typeArgument(final Type type, final int index) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
