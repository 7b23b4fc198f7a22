package io.driftguard.drift.policy;

/** A rollback-policy document is invalid; {@link #key()} is the path of the offending key, e.g. {@code rules[1].arm}. */
public final class PolicyConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public PolicyConfigException(final String key, final String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
