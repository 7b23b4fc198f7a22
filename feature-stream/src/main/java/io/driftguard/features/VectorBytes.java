package io.driftguard.features;

import io.driftguard.avro.FeatureVector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Vectors in the history store: Avro single-object encoding (a schema fingerprint, then Avro binary), so bytes
 * written under another FeatureVector schema are refused instead of misread. No registry round trip per event.
 */
final class VectorBytes {
  private VectorBytes() {}

  static byte[] encode(final FeatureVector vector) {
    try {
      final ByteBuffer buffer = vector.toByteBuffer();
      final byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot encode the vector of entity '" + vector.getEntityId() + "'", e);
    }
  }

  /** The vector, or an {@link IOException} when the bytes are not a FeatureVector of this schema. */
  static FeatureVector decode(final byte[] bytes) throws IOException {
    return FeatureVector.fromByteBuffer(ByteBuffer.wrap(bytes));
  }
}
