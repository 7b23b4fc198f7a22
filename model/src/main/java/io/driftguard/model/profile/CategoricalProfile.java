package io.driftguard.model.profile;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reference category frequencies (share of non-null values per category) of a categorical feature or a
 * slice column.
 */
public record CategoricalProfile(String name, long count, double nullRate, Map<String, Double> frequencies) {
  public CategoricalProfile {
    frequencies = new TreeMap<>(frequencies);
  }
}
