package io.driftguard.scoring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Sticky canary routing: an entity's bucket in [0, 10000) is a hash of the model name and the entity id, so an
 * entity stays in its arm for as long as the percentage does not move past its bucket. The hash is SHA-256, not
 * Kafka's murmur2: murmur2 also picks the partition, and reusing it would tie the arm to the partition.
 */
final class Canary {
  static final int BUCKETS = 10_000;

  private Canary() {
  }

  static int bucket(final String modelName, final String entityId) {
    final MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    sha.update(modelName.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    final byte[] d = sha.digest(entityId.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (d[i] & 0xffL);
    }
    return (int) Long.remainderUnsigned(h, BUCKETS);
  }

  /** Whether the entity falls in a canary of {@code percent} (0-100). */
  static boolean inCanary(final String modelName, final String entityId, final double percent) {
    return bucket(modelName, entityId) < Math.round(percent * (BUCKETS / 100.0));
  }
}
