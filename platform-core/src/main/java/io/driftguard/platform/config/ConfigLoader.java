package io.driftguard.platform.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Loads driftguard config: a YAML file, then environment overrides, then validation by the config records.
 *
 * <h2>Environment rules</h2>
 * <ul>
 *   <li>{@code DRIFTGUARD_<PATH>} sets the config key whose dotted path, with each camelCase segment written in
 *   UPPER_SNAKE_CASE and segments joined by {@code _}, equals {@code <PATH>}:
 *   {@code DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS -> kafka.bootstrapServers},
 *   {@code DRIFTGUARD_STREAMS_COMMIT_INTERVAL -> streams.commitInterval},
 *   {@code DRIFTGUARD_TOPICS_PREDICTIONS_SHADOW -> topics.predictionsShadow},
 *   {@code DRIFTGUARD_SCORING_BATCH_SIZE -> scoring.batchSize} (app section {@code scoring}). Lists and maps take
 *   {@code a,b} and {@code k=v,k2=v2}. A {@code DRIFTGUARD_} variable that maps to no key stops start-up, except the
 *   launcher's own {@link #RESERVED_ENV}.</li>
 *   <li>{@code KAFKA_<X>} sets the raw Kafka client property {@code x} with {@code _} read as {@code .}, lower-cased:
 *   {@code KAFKA_SECURITY_PROTOCOL -> security.protocol}, {@code KAFKA_SASL_JAAS_CONFIG -> sasl.jaas.config}. It
 *   lands in {@code kafka.properties} and is passed to every client. Variables ending in {@code _OPTS} and
 *   {@code KAFKA_HOME}/{@code KAFKA_DEBUG}/{@code KAFKA_LOG_DIR} belong to Kafka's scripts and are ignored.</li>
 *   <li>Environment wins over the file.</li>
 * </ul>
 */
public final class ConfigLoader {

    /** {@code DRIFTGUARD_*} variables used by the launcher, not config keys. */
    public static final Set<String> RESERVED_ENV = Set.of(
        "DRIFTGUARD_CONFIG", "DRIFTGUARD_JAVA_OPTS", "DRIFTGUARD_HOME", "DRIFTGUARD_LOG_LEVEL");

    private static final String PREFIX = "DRIFTGUARD_";
    private static final String KAFKA_PREFIX = "KAFKA_";
    private static final Set<String> KAFKA_SCRIPT_ENV = Set.of("KAFKA_HOME", "KAFKA_DEBUG", "KAFKA_LOG_DIR");
    private static final Set<String> COMMON_KEYS = Set.copyOf(
        Arrays.stream(DriftguardConfig.class.getRecordComponents()).map(c -> c.getName()).toList());

    private final Map<String, String> env;
    private final Map<String, Class<? extends Record>> sections = new LinkedHashMap<>();

    private ConfigLoader(final Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** A loader reading overrides from {@code env} (pass {@code System.getenv()} in apps, a plain map in tests). */
    public static ConfigLoader withEnv(final Map<String, String> env) {
        return new ConfigLoader(Objects.requireNonNull(env, "env"));
    }

    /** Registers an app section: top-level key {@code name}, bound to {@code type} (validated by its constructor). */
    public ConfigLoader withSection(final String name, final Class<? extends Record> type) {
        if (!name.matches("[a-z][a-zA-Z0-9]*")) {
            throw new IllegalArgumentException("section name must be camelCase letters/digits: " + name);
        }
        if (COMMON_KEYS.contains(name) || sections.containsKey(name)) {
            throw new IllegalArgumentException("config section '" + name + "' is already taken");
        }
        sections.put(name, type);
        return this;
    }

    /** Loads {@code file} (YAML; null = no file, environment and defaults only), applies the environment, validates. */
    public LoadedConfig load(final Path file) {
        if (file == null) {
            return loadYaml("", "environment");
        }
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (final NoSuchFileException e) {
            throw ConfigException.file(file.toString(), "not found");
        } catch (final IOException e) {
            throw ConfigException.file(file.toString(), "cannot be read: " + e.getMessage());
        }
        return loadYaml(text, file.toString());
    }

    /** Loads YAML text (empty text means all defaults), applies the environment, validates. */
    public LoadedConfig loadYaml(final String yaml, final String sourceName) {
        final Map<String, Object> tree = parse(yaml, sourceName);
        final Map<String, String> sources = applyEnvironment(tree);
        try {
            return bind(tree);
        } catch (final ConfigException e) {
            final String source = sources.get(e.key());
            throw source == null ? e : e.withSource(source);
        }
    }

    /** The config key an environment variable maps to, or null if none: the documented rule, for tests and help. */
    public String keyFor(final String envName) {
        return envKeys().get(envName);
    }

    private LoadedConfig bind(final Map<String, Object> tree) {
        final Map<String, Object> common = new LinkedHashMap<>(tree);
        final Map<String, Record> boundSections = new LinkedHashMap<>();
        for (final Map.Entry<String, Class<? extends Record>> section : sections.entrySet()) {
            final Object raw = common.remove(section.getKey());
            if (raw != null && !(raw instanceof Map)) {
                throw new ConfigException(section.getKey(), "expected a section (a map of keys), got '" + raw + "'");
            }
            @SuppressWarnings("unchecked") final Map<String, ?> sectionTree = (Map<String, ?>) raw;
            boundSections.put(section.getKey(), RecordBinder.bind(section.getValue(), sectionTree, section.getKey()));
        }
        for (final String key : common.keySet()) {
            if (!COMMON_KEYS.contains(key)) {
                final List<String> known = new ArrayList<>(COMMON_KEYS.stream().sorted().toList());
                known.addAll(sections.keySet());
                throw new ConfigException(key, "unknown key; known top-level keys: " + String.join(", ", known));
            }
        }
        return new LoadedConfig(RecordBinder.bind(DriftguardConfig.class, common, ""), boundSections);
    }

    private Map<String, String> applyEnvironment(final Map<String, Object> tree) {
        final Map<String, String> keys = envKeys();
        final Map<String, String> sources = new HashMap<>();
        for (final Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
            final String name = entry.getKey();
            if (name.startsWith(PREFIX) && !RESERVED_ENV.contains(name)) {
                final String key = keys.get(name);
                if (key == null) {
                    throw new ConfigException(name, "environment variable maps to no config key (rule: DRIFTGUARD_ + "
                        + "the key path in UPPER_SNAKE_CASE, e.g. kafka.bootstrapServers -> "
                        + "DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS)");
                }
                put(tree, key, entry.getValue());
                sources.put(key, "environment variable " + name);
            } else if (name.startsWith(KAFKA_PREFIX) && name.length() > KAFKA_PREFIX.length()
                && !name.endsWith("_OPTS") && !KAFKA_SCRIPT_ENV.contains(name)) {
                final String property = name.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                final Map<String, Object> props = childMap(childMap(tree, "kafka", "kafka"), "properties",
                    "kafka.properties");
                props.put(property, entry.getValue());
                sources.put("kafka.properties." + property, "environment variable " + name);
            }
        }
        return sources;
    }

    private Map<String, String> envKeys() {
        final List<String> paths = new ArrayList<>(RecordBinder.leafPaths(DriftguardConfig.class, ""));
        sections.forEach((name, type) -> paths.addAll(RecordBinder.leafPaths(type, name)));
        final Map<String, String> keys = new HashMap<>();
        for (final String path : paths) {
            final String envName = envName(path);
            final String previous = keys.put(envName, path);
            if (previous != null) {
                throw new IllegalStateException("config keys '" + previous + "' and '" + path
                    + "' map to the same environment variable " + envName);
            }
        }
        return keys;
    }

    static String envName(final String path) {
        final StringBuilder name = new StringBuilder(PREFIX);
        for (final String segment : path.split("\\.")) {
            if (name.length() > PREFIX.length()) {
                name.append('_');
            }
            for (int i = 0; i < segment.length(); i++) {
                final char c = segment.charAt(i);
                if (Character.isUpperCase(c) && i > 0) {
                    name.append('_');
                }
                name.append(Character.toUpperCase(c));
            }
        }
        return name.toString();
    }

    private static void put(final Map<String, Object> tree, final String path, final String value) {
        final String[] segments = path.split("\\.");
        Map<String, Object> node = tree;
        final StringBuilder at = new StringBuilder();
        for (int i = 0; i < segments.length - 1; i++) {
            at.append(i == 0 ? "" : ".").append(segments[i]);
            node = childMap(node, segments[i], at.toString());
        }
        node.put(segments[segments.length - 1], value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> childMap(final Map<String, Object> node, final String key, final String path) {
        final Object child = node.get(key);
        if (child == null) {
            final Map<String, Object> created = new LinkedHashMap<>();
            node.put(key, created);
            return created;
        }
        if (!(child instanceof Map)) {
            throw new ConfigException(path, "expected a section (a map of keys), got '" + child + "'");
        }
        final Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) child);
        node.put(key, copy);
        return copy;
    }

    private static Map<String, Object> parse(final String yaml, final String sourceName) {
        if (yaml == null || yaml.isBlank()) {
            return new LinkedHashMap<>();
        }
        final Object root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
        } catch (final JsonProcessingException e) {
            final String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ConfigException.file(sourceName, "is not valid YAML" + where + ": " + e.getOriginalMessage());
        }
        if (root == null) {
            return new LinkedHashMap<>();
        }
        if (!(root instanceof Map)) {
            throw ConfigException.file(sourceName, "expected a map of keys at the top level");
        }
        @SuppressWarnings("unchecked") final Map<String, Object> map = (Map<String, Object>) root;
        return new LinkedHashMap<>(map);
    }
}
