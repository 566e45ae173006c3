// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

/**
 * STUB: rotary position embedding, rotate-half form (tiny-vlm.md): in each head of size D,
 * dimension i pairs with i + D/2 and turns by angle pos · theta^(-2i/D), for i < D/2.
 * x and out are [B, H, T, D]; pos holds T positions (shared by the batch) or B·T (one row per
 * sequence, for left-padded batches). {@code inverse} turns the other way (the backward).
 */
public final class Rope {
    private Rope() {}

    public static void ropeScalar(float[] x, float[] out, int B, int H, int T, int D, int[] pos, float theta, boolean inverse) { throw new UnsupportedOperationException(); }

    public static void rope(float[] x, float[] out, int B, int H, int T, int D, int[] pos, float theta, boolean inverse) { throw new UnsupportedOperationException(); }
}
