package io.driftguard.drift.stats;

import org.apache.datasketches.common.SketchesArgumentException;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;

/** DataSketches helpers: deserialization with clear errors, and the rank-error bound used by KS and Wasserstein. */
final class Sketches {

    private static final String FOREIGN_MODULE = "jdk.incubator.foreign";

    private Sketches() {
    }

    static KllDoublesSketch heapify(final byte[] bytes, final String name) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException(name + ": no KLL sketch bytes");
        }
        requireForeignMemoryModule();
        try {
            return KllDoublesSketch.heapify(Memory.wrap(bytes));
        } catch (SketchesArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(name + ": not a valid KLL doubles sketch: " + e.getMessage(), e);
        }
    }

    static byte[] toBytes(final KllDoublesSketch sketch) {
        requireForeignMemoryModule();
        return sketch.toByteArray();
    }

    /**
     * datasketches-memory 4.x, under datasketches-java 7.0.1 on Java 17, is built on the incubating foreign-memory
     * API; without the module every (de)serialization dies with a NoClassDefFoundError deep inside the library.
     */
    static void requireForeignMemoryModule() {
        if (ModuleLayer.boot().findModule(FOREIGN_MODULE).isEmpty()) {
            throw new IllegalStateException("KLL sketch serialization needs the JVM option '--add-modules "
                    + FOREIGN_MODULE + "' (datasketches-memory 4.x on Java 17)");
        }
    }

    /**
     * Bound on the CDF error of a sketch: 0 while it holds every item, else DataSketches' normalised rank error for
     * PMF/CDF queries at 99% confidence.
     */
    static double rankError(final KllDoublesSketch sketch) {
        return sketch.isEstimationMode() ? KllSketch.getNormalizedRankError(sketch.getK(), true) : 0.0;
    }
}
