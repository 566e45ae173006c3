// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor;

import java.util.SplittableRandom;

/**
 * A seeded, splittable random generator: every random number in a run descends from one seed.
 *
 * <p>{@link #split()} gives an independent child stream (one per layer, per worker, per epoch),
 * so adding a draw in one place does not shift the numbers drawn elsewhere. Built on
 * {@link SplittableRandom} (SplitMix64), whose output is fixed by the JDK specification.
 */
public final class Rng {
    private final SplittableRandom r;

    public Rng(long seed) {
        this.r = new SplittableRandom(seed);
    }

    private Rng(SplittableRandom r) {
        this.r = r;
    }

    /** An independent generator; this one advances by one step. */
    public Rng split() {
        return new Rng(r.split());
    }

    /** Uniform in [0, 1). */
    public float uniform() {
        return (float) r.nextDouble();
    }

    /** Uniform in [lo, hi). */
    public float uniform(float lo, float hi) {
        return lo + (hi - lo) * (float) r.nextDouble();
    }

    /** Standard normal (Box-Muller on two uniforms: the same numbers on every JDK). */
    public float normal() {
        double u1 = 1.0 - r.nextDouble(); // (0, 1], so log() is finite
        double u2 = r.nextDouble();
        return (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return r.nextInt(bound);
    }

    public long nextLong() {
        return r.nextLong();
    }

    /** 0 .. n-1 in a random order: the Fisher-Yates shuffle, one draw per position from the end. */
    public int[] permutation(int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) o[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1), tmp = o[i];
            o[i] = o[j];
            o[j] = tmp;
        }
        return o;
    }
}
