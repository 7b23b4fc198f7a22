package io.driftguard.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers shared by bundles, datasets and configs; always lowercase hex. */
public final class Sha256 {
  private final MessageDigest digest;

  private Sha256() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  /** An incremental digest, for hashing structured content without building one big byte array. */
  public static Sha256 incremental() {
    return new Sha256();
  }

  public Sha256 add(final String s) {
    final byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    add(bytes.length);
    digest.update(bytes);
    return this;
  }

  public Sha256 add(final long v) {
    digest.update(ByteBuffer.allocate(Long.BYTES).putLong(v).array());
    return this;
  }

  public Sha256 add(final double v) {
    // raw bits so NaN payloads and -0.0 are part of the identity
    return add(Double.doubleToRawLongBits(v));
  }

  public String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }

  public static String of(final byte[] bytes) {
    return HexFormat.of().formatHex(new Sha256().digest.digest(bytes));
  }

  public static String of(final String s) {
    return of(s.getBytes(StandardCharsets.UTF_8));
  }

  public static String ofFile(final Path file) throws IOException {
    final Sha256 h = new Sha256();
    try (InputStream in = Files.newInputStream(file)) {
      final byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        h.digest.update(buf, 0, n);
      }
    }
    return h.hex();
  }
}
