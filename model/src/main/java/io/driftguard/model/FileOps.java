package io.driftguard.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** File operations shared by the bundle writer and the registry. */
public final class FileOps {
  private FileOps() {
  }

  /** A hidden sibling path for staging {@code target} before an atomic rename. */
  public static Path stagingSibling(final Path target) {
    return target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
  }

  /** Replaces {@code target} with {@code content} so readers see the old or the new file, never a mix. */
  public static void writeAtomically(final Path target, final byte[] content) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    final Path tmp = stagingSibling(target);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        final ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static void deleteRecursively(final Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (final Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
