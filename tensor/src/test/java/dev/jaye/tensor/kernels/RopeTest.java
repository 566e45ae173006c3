// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.Rng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rope. The fast version does the reference's arithmetic lane by lane from the same cos/sin
 * table, so it must agree bit for bit. Rotation properties hold to rounding: one rotation of a
 * pair (x1, x2) rounds each product and the sum, an error of a few u·max(|x1|, |x2|) with
 * u = 2^-24, and cos²+sin² of the float table is 1 within ~2u.
 */
class RopeTest {
    static final float U = 0x1p-24f;

    /** Positions: T shared ones, or B·T (one row per sequence), up to 5000 (long contexts). */
    static int[] positions(long seed, int B, int T, boolean perSequence) {
        Rng r = new Rng(seed);
        int[] pos = new int[perSequence ? B * T : T];
        for (int i = 0; i < pos.length; i++) pos[i] = r.nextInt(5000);
        return pos;
    }

    @Property(tries = 60, seed = "42")
    void fastEqualsReferenceBitForBit(@ForAll @IntRange(min = 1, max = 3) int B, @ForAll @IntRange(min = 1, max = 3) int H,
                                      @ForAll @IntRange(min = 1, max = 20) int T, @ForAll @IntRange(min = 1, max = 80) int halfD,
                                      @ForAll boolean perSequence, @ForAll boolean inverse, @ForAll long seed) {
        int D = 2 * halfD;
        float[] x = Check.normals(seed, B * H * T * D), ref = new float[x.length], out = new float[x.length];
        int[] pos = positions(seed, B, T, perSequence);
        Rope.ropeScalar(x, ref, B, H, T, D, pos, 10000f, inverse);
        Rope.rope(x, out, B, H, T, D, pos, 10000f, inverse);
        Check.identical("rope D=" + D, ref, out);
        Rope.rope(x, x, B, H, T, D, pos, 10000f, inverse);           // in place
        Check.identical("rope in place D=" + D, ref, x);
    }

    @Property(tries = 60, seed = "42")
    void inverseUndoesRopeAndPairNormsAreKept(@ForAll @IntRange(min = 1, max = 2) int B, @ForAll @IntRange(min = 1, max = 3) int H,
                                              @ForAll @IntRange(min = 1, max = 16) int T, @ForAll @IntRange(min = 1, max = 64) int halfD,
                                              @ForAll boolean perSequence, @ForAll long seed) {
        int D = 2 * halfD;
        float[] x = Check.normals(seed, B * H * T * D), y = new float[x.length], back = new float[x.length];
        int[] pos = positions(seed, B, T, perSequence);
        Rope.rope(x, y, B, H, T, D, pos, 10000f, false);
        Rope.rope(y, back, B, H, T, D, pos, 10000f, true);
        // two rotations, each a few u of the pair's size (normals: below ~6): 16u·6 ≈ 6e-6.
        Check.close("rope then inverse rope", x, back, 16 * U * 6f, 0f);
        for (int r = 0; r < B * H * T; r++)
            for (int i = 0; i < halfD; i++) {
                int o = r * D;
                double before = Math.hypot(x[o + i], x[o + halfD + i]), after = Math.hypot(y[o + i], y[o + halfD + i]);
                assertEquals(before, after, 8 * U * (before + 1e-30), "norm of pair " + i + " in row " + r);
            }
    }

    @Test
    void positionZeroIsIdentity() {
        int B = 2, H = 3, T = 5, D = 38;
        float[] x = Check.normals(3, B * H * T * D), out = new float[x.length];
        Rope.rope(x, out, B, H, T, D, new int[T], 10000f, false);    // cos 0 = 1, sin 0 = 0: exact
        Check.identical("rope at position 0", x, out);
    }

    @Test
    void oneRadianTurnsUnitVector() {
        // D = 2: one pair, angle = pos · theta^0 = pos. (1, 0) at pos 1 -> (cos 1, sin 1).
        float[] x = {1f, 0f}, out = new float[2];
        Rope.rope(x, out, 1, 1, 1, 2, new int[]{1}, 10000f, false);
        Check.close("rope (1,0) by 1 rad", new float[]{0.5403023f, 0.84147098f}, out, 1e-7f, 0f);
        // D = 4, second pair turns by pos · 100^(-2/4) = pos/10 with theta 100.
        x = new float[]{0f, 1f, 0f, 0f};
        out = new float[4];
        Rope.rope(x, out, 1, 1, 1, 4, new int[]{5}, 100f, false);
        Check.close("rope second pair by 0.5 rad", new float[]{0f, 0.87758256f, 0f, 0.47942554f}, out, 1e-7f, 0f);
    }
}
