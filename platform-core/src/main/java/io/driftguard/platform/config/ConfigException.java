package io.driftguard.platform.config;

/**
 * A configuration problem that stops start-up. The message always names the offending key, e.g.
 * {@code config key 'streams.commitInterval': expected a duration like 5s or PT5S, got 'abc'}.
 */
public final class ConfigException extends RuntimeException {

    private final String key;
    private final String problem;

    public ConfigException(final String key, final String problem) {
        this(key, problem, "config key '" + key + "': " + problem);
    }

    private ConfigException(final String key, final String problem, final String message) {
        super(message);
        this.key = key;
        this.problem = problem;
    }

    /** A problem with the config file itself (missing, unreadable, not YAML). */
    public static ConfigException file(final String file, final String problem) {
        return new ConfigException(file, problem, "config file '" + file + "': " + problem);
    }

    /** Adds where a bad value came from, e.g. the environment variable that set it. */
    ConfigException withSource(final String source) {
        return new ConfigException(key, problem + " (set by " + source + ")");
    }

    /** The full dotted key (or environment variable name) that is wrong. */
    public String key() {
        return key;
    }

    /** The problem without the key prefix. */
    public String problem() {
        return problem;
    }

    /** Re-anchors a key reported by a nested record under its parent path. */
    ConfigException under(final String parentPath) {
        if (parentPath == null || parentPath.isEmpty()) {
            return this;
        }
        return new ConfigException(parentPath + "." + key, problem);
    }
}
