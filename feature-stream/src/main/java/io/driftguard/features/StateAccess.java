package io.driftguard.features;

/**
 * Where the engine keeps per-entity state and stream time. The topology backs it with state stores (stream time per
 * task, i.e. per input partition); {@link FeatureReplay} backs it with maps, one stream time per simulated partition.
 */
interface StateAccess {
  /** The stored state of this entity, or null. */
  EntityState get(String entityId);

  void put(String entityId, EntityState state);

  /** Stream time (largest accepted event time) of the partition this entity lives on; Long.MIN_VALUE if none yet. */
  long streamTime(String entityId);

  void advanceStreamTime(String entityId, long streamTime);
}
