// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rotary position embedding, rotate-half form (docs/model.md). B = batch, H = heads, T = tokens,
 * D = head size (even). In each head, dimension i pairs with i + D/2 and the pair turns by
 * angle θ_i = pos · theta^(-2i/D), for i < D/2:
 * <pre>
 *   out[i]       = x[i]·cos θ_i - x[i+D/2]·sin θ_i
 *   out[i + D/2] = x[i+D/2]·cos θ_i + x[i]·sin θ_i
 * </pre>
 * A rotation keeps each pair's length, and q·k after rotating both by their own positions
 * depends only on the difference of the positions: that is the point of RoPE.
 *
 * <p>pos holds T positions (shared by the batch) or B·T (one row per sequence, for left-padded
 * batches). {@code inverse} turns by -θ: a rotation's transpose is its inverse, so the backward
 * of rope is rope with {@code inverse} on the incoming gradient.
 *
 * <p>Both versions read cos and sin from one table built per call, in double, then cast: the
 * angle for i = 0 is pos itself, and at pos 4096 a float angle is already off by up to 2e-4 rad.
 * The fast version uses the same multiplies and subtractions as the reference, lane by lane (no
 * fused multiply-add), so the two agree bit for bit. x and out may be the same array.
 */
public final class Rope {
    private Rope() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /**
     * cos and sin for every entry of pos and every i < D/2: table[0] is cos, table[1] is sin,
     * both [pos.length, D/2]. With {@code inverse} sin is negated (cos(-θ) = cos θ).
     */
    public static float[][] table(int[] pos, int D, float theta, boolean inverse) {
        int half = D / 2, maxPos = 0;
        for (int p : pos) maxPos = Math.max(maxPos, p);
        float[][] rows = rows(D, theta, maxPos + 1);
        float[] cos = new float[pos.length * half], sin = new float[pos.length * half];
        for (int p = 0; p < pos.length; p++) {
            if (pos[p] < 0) throw new IllegalArgumentException("rope position " + pos[p] + " is negative");
            System.arraycopy(rows[0], pos[p] * half, cos, p * half, half);
            System.arraycopy(rows[1], pos[p] * half, sin, p * half, half);
            if (inverse) for (int i = p * half; i < (p + 1) * half; i++) sin[i] = -sin[i];
        }
        return new float[][]{cos, sin};
    }

    /**
     * cos and sin of positions [0, n) for one (D, theta), computed once in double and kept: a
     * forward pass asks for the same few hundred positions in every layer, and cos/sin per token
     * per call cost more than the rotation itself.
     */
    private static synchronized float[][] rows(int D, float theta, int n) {
        long key = (long) D << 32 | Float.floatToRawIntBits(theta);
        float[][] have = ROWS.get(key);
        int half = D / 2;
        if (have != null && have[0].length >= n * half) return have;
        int size = Math.max(n, have == null ? 64 : 2 * have[0].length / Math.max(1, half));
        float[] cos = new float[size * half], sin = new float[size * half];
        for (int i = 0; i < half; i++) {
            double freq = Math.pow(theta, -2.0 * i / D);
            for (int p = 0; p < size; p++) {
                double angle = p * freq;
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        float[][] rows = {cos, sin};
        ROWS.put(key, rows);
        return rows;
    }

    private static final java.util.Map<Long, float[][]> ROWS = new java.util.HashMap<>();

    // ---------------------------------------------------------------- the definition

    public static void ropeScalar(float[] x, float[] out, int B, int H, int T, int D, int[] pos, float theta, boolean inverse) {
        check(B, T, D, pos);
        float[][] cs = table(pos, D, theta, inverse);
        float[] cos = cs[0], sin = cs[1];
        int half = D / 2;
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int t = 0; t < T; t++) {
                    int o = ((b * H + h) * T + t) * D;
                    int c = (pos.length == T ? t : b * T + t) * half;  // this token's row of the table
                    for (int i = 0; i < half; i++) {
                        float x1 = x[o + i], x2 = x[o + half + i];       // read both before writing (in place)
                        out[o + i] = x1 * cos[c + i] - x2 * sin[c + i];
                        out[o + half + i] = x2 * cos[c + i] + x1 * sin[c + i];
                    }
                }
    }

    // ---------------------------------------------------------------- fast version

    /** Same as {@link #ropeScalar}: one (b, h, t) row per item, the i loop on whole vectors. */
    public static void rope(float[] x, float[] out, int B, int H, int T, int D, int[] pos, float theta, boolean inverse) {
        if (!Simd.ENABLED) {
            ropeScalar(x, out, B, H, T, D, pos, theta, inverse);
            return;
        }
        check(B, T, D, pos);
        float[][] cs = table(pos, D, theta, inverse);
        float[] cos = cs[0], sin = cs[1];
        int half = D / 2;
        boolean perSequence = pos.length != T;
        Parallel.forRange(B * H * T, (long) Parallel.ELEMENT_WORK * D, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int t = r % T, b = r / (H * T);
                int o = r * D, c = (perSequence ? b * T + t : t) * half;
                int i = 0;
                for (int bound = F.loopBound(half); i < bound; i += L) {
                    FloatVector x1 = FloatVector.fromArray(F, x, o + i), x2 = FloatVector.fromArray(F, x, o + half + i);
                    FloatVector cv = FloatVector.fromArray(F, cos, c + i), sv = FloatVector.fromArray(F, sin, c + i);
                    x1.mul(cv).sub(x2.mul(sv)).intoArray(out, o + i);
                    x2.mul(cv).add(x1.mul(sv)).intoArray(out, o + half + i);
                }
                for (; i < half; i++) {
                    float x1 = x[o + i], x2 = x[o + half + i];
                    out[o + i] = x1 * cos[c + i] - x2 * sin[c + i];
                    out[o + half + i] = x2 * cos[c + i] + x1 * sin[c + i];
                }
            }
        });
    }

    private static void check(int B, int T, int D, int[] pos) {
        if (D % 2 != 0) throw new IllegalArgumentException("rope needs an even head size, D = " + D);
        if (pos.length != T && pos.length != B * T) throw new IllegalArgumentException(
                "rope: " + pos.length + " positions, need T = " + T + " or B·T = " + B * T);
    }
}
