// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

/**
 * STUB: scaled-dot-product attention. q [B, H, Tq, D]; k, v [B, Hkv, Tk, D] with H a multiple of
 * Hkv (grouped key/value heads: query head h reads kv head h / (H / Hkv)); out [B, H, Tq, D].
 * probs [B, H, Tq, Tk], when not null, receives the attention weights (backward needs them).
 * With {@code causal}, query i sits at position Tk - Tq + i (so a KV cache works) and sees keys
 * j at or before it. keyMask [B, Tk], when not null, is 1 for keys to attend to and 0 for
 * padding. A query that sees no key at all gets weights 0 and output 0.
 */
public final class Attention {
    private Attention() {}

    public static void attentionScalar(float[] q, float[] k, float[] v, int B, int H, int Hkv, int Tq, int Tk, int D,
                                       float scale, boolean causal, float[] keyMask, float[] out, float[] probs) { throw new UnsupportedOperationException(); }

    public static void attention(float[] q, float[] k, float[] v, int B, int H, int Hkv, int Tq, int Tk, int D,
                                 float scale, boolean causal, float[] keyMask, float[] out, float[] probs) { throw new UnsupportedOperationException(); }
}
