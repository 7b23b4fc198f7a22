package io.driftguard.drift.topology;

/**
 * What the monitors group by: model name, version and rollout arm. As a record key it is {@code arm|version|name}
 * (arm and version cannot contain '|', so the name may).
 */
record ModelKey(String modelName, String modelVersion, String arm) {

    ModelKey {
        if (modelName == null || modelVersion == null || arm == null) {
            throw new IllegalArgumentException("modelName, modelVersion and arm: must not be null");
        }
    }

    String encode() {
        return arm + '|' + modelVersion + '|' + modelName;
    }

    static ModelKey decode(final String key) {
        final int first = key.indexOf('|');
        final int second = first < 0 ? -1 : key.indexOf('|', first + 1);
        if (second < 0) {
            throw new IllegalArgumentException("model key: expected arm|version|name, got '" + key + "'");
        }
        return new ModelKey(key.substring(second + 1), key.substring(first + 1, second), key.substring(0, first));
    }
}
