package io.driftguard.platform.config;

import java.util.Map;

/** The result of {@link ConfigLoader#load}: the common config plus every registered app section. */
public final class LoadedConfig {

    private final DriftguardConfig common;
    private final Map<String, Record> sections;

    LoadedConfig(final DriftguardConfig common, final Map<String, Record> sections) {
        this.common = common;
        this.sections = Map.copyOf(sections);
    }

    public DriftguardConfig common() {
        return common;
    }

    /**
     * The app section registered under {@code name}.
     *
     * @throws IllegalArgumentException if no section was registered under that name with that type
     */
    public <T extends Record> T section(final String name, final Class<T> type) {
        final Record section = sections.get(name);
        if (section == null || !type.isInstance(section)) {
            throw new IllegalArgumentException("no config section '" + name + "' of type " + type.getSimpleName()
                + " was registered with the ConfigLoader");
        }
        return type.cast(section);
    }
}
