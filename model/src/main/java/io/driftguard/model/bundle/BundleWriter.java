package io.driftguard.model.bundle;

import io.driftguard.model.FileOps;
import io.driftguard.model.Json;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a bundle directory: {@code manifest.json}, {@code model.json} and {@code checksums.sha256}. The
 * bundle is assembled in a sibling staging directory and renamed into place, so a reader never sees a
 * half-written bundle.
 */
public final class BundleWriter {
  private BundleWriter() {
  }

  /**
   * @param target the bundle directory to create; must not exist yet
   * @param modelJson the XGBoost model in its JSON format
   * @return the verified bundle
   */
  public static ArtifactBundle write(final Path target, final Manifest manifest, final byte[] modelJson)
      throws IOException {
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "bundle directory already exists");
    }
    Files.createDirectories(target.toAbsolutePath().getParent());
    final Path staging = FileOps.stagingSibling(target);
    Files.createDirectory(staging);
    try {
      Files.write(staging.resolve(manifest.engine().modelFile()), modelJson);
      Files.write(staging.resolve(ArtifactBundle.MANIFEST), Json.json().writeValueAsBytes(manifest));
      Files.writeString(staging.resolve(Checksums.FILE), Checksums.render(Checksums.compute(staging)));
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      FileOps.deleteRecursively(staging);
    }
    return ArtifactBundle.load(target, manifest.featureSetHash());
  }
}
