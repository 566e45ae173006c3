// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Scaled-dot-product attention: out = softmax(scale · q·kᵀ + mask) · v, one head at a time.
 * B = batch, H = query heads, Hkv = key/value heads, Tq = queries, Tk = keys, D = head size.
 * q [B, H, Tq, D]; k, v [B, Hkv, Tk, D] with H a multiple of Hkv (grouped key/value heads: query
 * head h reads kv head h / (H / Hkv)); out [B, H, Tq, D]. probs [B, H, Tq, Tk], when not null,
 * receives the attention weights (backward needs them).
 *
 * <p>Masks. With {@code causal}, query i sits at position Tk - Tq + i and sees keys j at or
 * before it: with Tq = Tk that is the usual lower triangle, and with a KV cache (Tq new tokens
 * after Tk - Tq cached ones) the new queries see the whole cache. keyMask [B, Tk], when not null,
 * is 1 for keys to attend to and 0 for padding. A hidden key gets score -inf, so its weight is
 * exp(-inf) = 0 exactly. A query that sees no key at all (a padding query of a left-padded
 * causal batch) gets weights 0 and output 0, not the NaN of 0/0: see {@link Softmax}.
 *
 * <p>The fast version keeps the same steps but does the two products per head with the packed
 * GEMM of {@link MatMul}: scores = q·kᵀ ([Tq, D]·[D, Tk], k read transposed in place), then
 * scale, mask and softmax row by row, then out = P·v ([Tq, Tk]·[Tk, D]). It materialises the
 * [Tq, Tk] score matrix per head (no flash-style streaming): simple, and small at this model's
 * sizes. Heads go to threads whole; the GEMMs inside run on that thread.
 */
public final class Attention {
    private Attention() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    // ---------------------------------------------------------------- the definition

    public static void attentionScalar(float[] q, float[] k, float[] v, int B, int H, int Hkv, int Tq, int Tk, int D,
                                       float scale, boolean causal, float[] keyMask, float[] out, float[] probs) {
        int group = H / Hkv;                                     // query heads per kv head
        float[] p = new float[Tk];                               // one row of scores, then weights
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++) {
                int kvo = (b * Hkv + h / group) * Tk * D;        // this head's k and v
                for (int i = 0; i < Tq; i++) {
                    int qo = ((b * H + h) * Tq + i) * D;
                    for (int j = 0; j < Tk; j++) {
                        if (!visible(causal, keyMask, b, i, j, Tq, Tk)) {
                            p[j] = Float.NEGATIVE_INFINITY;
                            continue;
                        }
                        float dot = 0f;
                        for (int d = 0; d < D; d++) dot += q[qo + d] * k[kvo + j * D + d];
                        p[j] = dot * scale;
                    }
                    Softmax.softmaxRowScalar(p, 0, p, 0, Tk);    // all hidden -> all 0
                    for (int d = 0; d < D; d++) {
                        float o = 0f;
                        for (int j = 0; j < Tk; j++) o += p[j] * v[kvo + j * D + d];
                        out[qo + d] = o;
                    }
                    if (probs != null) System.arraycopy(p, 0, probs, ((b * H + h) * Tq + i) * Tk, Tk);
                }
            }
    }

    /** Whether query i of batch row b may attend to key j. */
    private static boolean visible(boolean causal, float[] keyMask, int b, int i, int j, int Tq, int Tk) {
        if (causal && j > Tk - Tq + i) return false;
        return keyMask == null || keyMask[b * Tk + j] != 0f;
    }

    // ---------------------------------------------------------------- fast version

    public static void attention(float[] q, float[] k, float[] v, int B, int H, int Hkv, int Tq, int Tk, int D,
                                 float scale, boolean causal, float[] keyMask, float[] out, float[] probs) {
        if (!Simd.ENABLED) {
            attentionScalar(q, k, v, B, H, Hkv, Tq, Tk, D, scale, causal, keyMask, out, probs);
            return;
        }
        if (Tq == 1 && probs == null) {
            decode(q, k, v, B, H, Hkv, Tk, Tk, D, scale, keyMask, out);
            return;
        }
        int group = H / Hkv;
        long workPerHead = (long) Tq * Tk * (2L * D + 8);        // two products, plus the softmax
        Parallel.forRange(B * H, workPerHead, (bh0, bh1) -> {
            // Scores live in probs when the caller wants them, else in this thread's scratch,
            // allocated once per call and reused by every head of the chunk.
            float[] s = probs != null ? probs : new float[Tq * Tk];
            for (int bh = bh0; bh < bh1; bh++) {
                int b = bh / H, h = bh % H;
                int qo = bh * Tq * D, kvo = (b * Hkv + h / group) * Tk * D;
                int so = probs != null ? bh * Tq * Tk : 0;
                MatMul.matmul(q, qo, k, kvo, s, so, Tq, Tk, D, false, true, false);     // s = q·kᵀ  [Tq, Tk]
                for (int i = 0; i < Tq; i++) {
                    int row = so + i * Tk;
                    scaleRow(s, row, Tk, scale);
                    if (causal) {                                                    // keys after position Tk - Tq + i
                        int first = Math.clamp((long) Tk - Tq + i + 1, 0, Tk);
                        Arrays.fill(s, row + first, row + Tk, Float.NEGATIVE_INFINITY);
                    }
                    if (keyMask != null)
                        for (int j = 0; j < Tk; j++) if (keyMask[b * Tk + j] == 0f) s[row + j] = Float.NEGATIVE_INFINITY;
                    Softmax.softmaxRow(s, row, s, row, Tk);
                }
                MatMul.matmul(s, so, v, kvo, out, qo, Tq, D, Tk, false, false, false);   // out = P·v  [Tq, D]
            }
        });
    }

    /**
     * One new query per sequence (decoding with a KV cache): scores are dot products of q with
     * each cached key, the output a weighted sum of cached values, both as vector loops. (The GEMM
     * would copy, "pack", the whole cache for a product with a single row.) k and v are
     * [B, Hkv, capacity, D] of which the first Tk positions are filled, so a cache can grow in
     * place. A query at the last position sees every key, so only keyMask [B, Tk] can hide one.
     */
    public static void decode(float[] q, float[] k, float[] v, int B, int H, int Hkv, int Tk, int capacity, int D,
                              float scale, float[] keyMask, float[] out) {
        int group = H / Hkv;
        Parallel.forRange(B * H, (long) Tk * 2 * D, (bh0, bh1) -> {
            float[] p = new float[Tk];
            int bound = F.loopBound(D);
            for (int bh = bh0; bh < bh1; bh++) {
                int b = bh / H, h = bh % H, qo = bh * D, kvo = (b * Hkv + h / group) * capacity * D;
                for (int j = 0; j < Tk; j++) {
                    if (keyMask != null && keyMask[b * Tk + j] == 0f) {
                        p[j] = Float.NEGATIVE_INFINITY;
                        continue;
                    }
                    int ko = kvo + j * D, d = 0;
                    FloatVector acc = FloatVector.zero(F);
                    for (; d < bound; d += L) acc = FloatVector.fromArray(F, q, qo + d).fma(FloatVector.fromArray(F, k, ko + d), acc);
                    float dot = Simd.sumLanes(acc);
                    for (; d < D; d++) dot += q[qo + d] * k[ko + d];
                    p[j] = dot * scale;
                }
                Softmax.softmaxRow(p, 0, p, 0, Tk);
                Arrays.fill(out, qo, qo + D, 0f);
                for (int j = 0; j < Tk; j++) {                   // out = Σ_j p_j · v_j
                    float pj = p[j];
                    if (pj == 0f) continue;
                    int vo = kvo + j * D, d = 0;
                    FloatVector w = FloatVector.broadcast(F, pj);
                    for (; d < bound; d += L)
                        w.fma(FloatVector.fromArray(F, v, vo + d), FloatVector.fromArray(F, out, qo + d)).intoArray(out, qo + d);
                    for (; d < D; d++) out[qo + d] = Math.fma(pj, v[vo + d], out[qo + d]);
                }
            }
        });
    }

    /** x[off, off+n) *= scale. */
    private static void scaleRow(float[] x, int off, int n, float scale) {
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L)
            FloatVector.fromArray(F, x, off + j).mul(scale).intoArray(x, off + j);
        for (; j < n; j++) x[off + j] *= scale;
    }
}
