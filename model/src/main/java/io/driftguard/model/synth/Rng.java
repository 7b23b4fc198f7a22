package io.driftguard.model.synth;

import java.util.SplittableRandom;

/**
 * Seeded randomness with hand-written gaussian and exponential draws, so output does not depend on JDK defaults
 * that may change between releases (SplittableRandom's own nextDouble/nextLong are specified).
 */
final class Rng {
    private final SplittableRandom random;

    Rng(final long seed) {
        random = new SplittableRandom(seed);
    }

    double uniform() {
        return random.nextDouble();
    }

    int nextInt(final int bound) {
        return random.nextInt(bound);
    }

    long nextLong() {
        return random.nextLong();
    }

    boolean bernoulli(final double p) {
        return random.nextDouble() < p;
    }

    /** Box-Muller; uses two uniforms per draw and keeps no cached spare, so the stream stays simple to reason about. */
    double gaussian() {
        final double u1 = 1.0 - random.nextDouble();
        final double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    double exponential(final double mean) {
        return -mean * Math.log(1.0 - random.nextDouble());
    }

    int pickWeighted(final double[] cumulative) {
        final double u = random.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    static double[] cumulative(final double... weights) {
        final double[] out = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            out[i] = sum;
        }
        return out;
    }
}
