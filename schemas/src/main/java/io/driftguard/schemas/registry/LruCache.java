package io.driftguard.schemas.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/** A small synchronized LRU map: registry lookups are rare next to cache hits, so one lock is enough. */
final class LruCache<K, V> {
  private final Map<K, V> map;

  LruCache(final int capacity) {
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(final Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized V get(final K key) {
    return map.get(key);
  }

  synchronized void put(final K key, final V value) {
    map.put(key, value);
  }

  synchronized void removeIf(final java.util.function.Predicate<K> predicate) {
    map.keySet().removeIf(predicate);
  }
}
