// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.OpenClAttention;
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
        if (Backend.offload("attention", (long) B * H * Tq * Tk * 2 * D)
                && Backend.ran("attention", d -> OpenClAttention.attention(q, k, v, B, H, Hkv, Tq, Tk, D, scale, causal, keyMask, out, probs, d))) return;
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
                    // With a causal mask the softmax runs over the keys at or before the query's
                    // position only, and later keys get weight 0. A row's weights then depend on its
                    // position alone, not on the length its batch is padded to: over the padded row
                    // the same numbers were summed in another split between vector lanes and scalar
                    // tail, so a sequence's log-probs changed in the last bits with the rows it was
                    // batched with (and step IV's forward no longer matched step III's).
                    int visible = causal ? Math.clamp((long) Tk - Tq + i + 1, 0, Tk) : Tk;
                    if (keyMask != null)
                        for (int j = 0; j < visible; j++) if (keyMask[b * Tk + j] == 0f) s[row + j] = Float.NEGATIVE_INFINITY;
                    Softmax.softmaxRow(s, row, s, row, visible);
                    Arrays.fill(s, row + visible, row + Tk, 0f);
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
                    p[j] = Simd.dot(q, qo, k, kvo + j * D, D) * scale;   // the same bits at any vector width
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

    /**
     * {@link #decode} for a KV cache that keeps its keys transposed: kT is [B, Hkv, D, capacity]
     * (a key's D numbers are {@code capacity} apart), v is [B, Hkv, capacity, D] as usual.
     *
     * <p>Why transposed: a score is one key's dot product with q, and with keys in rows each score
     * ends in a horizontal sum across vector lanes, which costs more than its D multiplications
     * when D is a few vectors long. With keys in columns, one vector holds the same component of
     * L consecutive keys, so L scores grow side by side, {@code s[j..j+L) += q[d] · kT[d][j..j+L)},
     * with no horizontal sum at all. Each score is still summed over d in order, one fused
     * multiply-add at a time, so the result does not depend on L or on the JIT.
     *
     * <p>Lanes past Tk read cache positions not yet filled (the capacity must be a multiple of the
     * vector length, {@link #cacheMultiple}); their scores are computed and never used.
     */
    public static void decodeCached(float[] q, float[] kT, float[] v, int B, int H, int Hkv, int Tk, int capacity, int D,
                                    float scale, float[] keyMask, float[] out) {
        if (capacity % L != 0) throw new IllegalArgumentException("capacity " + capacity + " is not a multiple of " + L);
        if (!Simd.ENABLED) {
            decodeCachedScalar(q, kT, v, B, H, Hkv, Tk, capacity, D, scale, keyMask, out);
            return;
        }
        int group = H / Hkv, TkUp = (Tk + L - 1) / L * L;
        // Cost per head: about 8 ns per key and vector of D, far more per multiply-add than the
        // GEMM's, so weigh it as such when deciding whether to split the heads across threads.
        Parallel.forRange(B * H, (long) Tk * 16 * D, (bh0, bh1) -> {
            float[] p = new float[TkUp];
            for (int bh = bh0; bh < bh1; bh++) {
                int b = bh / H, h = bh % H, qo = bh * D, kvh = b * Hkv + h / group;
                scores(q, qo, kT, kvh * D * capacity, capacity, D, TkUp, scale, p);
                if (keyMask != null)
                    for (int j = 0; j < Tk; j++) if (keyMask[b * Tk + j] == 0f) p[j] = Float.NEGATIVE_INFINITY;
                Softmax.softmaxRow(p, 0, p, 0, Tk);
                weightedSum(p, Tk, v, kvh * capacity * D, D, out, qo);
            }
        });
    }

    /**
     * p[j] = scale · Σ_d q[d]·kT[d][j] for j < TkUp. Four blocks of L keys at a time, so four
     * independent chains of fused multiply-adds keep the FMA units busy (one chain would wait on
     * its own latency); each score is still summed over d in order.
     */
    private static void scores(float[] q, int qo, float[] kT, int ko, int capacity, int D, int TkUp, float scale, float[] p) {
        int j = 0;
        for (; j + 4 * L <= TkUp; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int d = 0, o = ko + j; d < D; d++, o += capacity) {
                FloatVector qd = FloatVector.broadcast(F, q[qo + d]);
                a0 = qd.fma(FloatVector.fromArray(F, kT, o), a0);
                a1 = qd.fma(FloatVector.fromArray(F, kT, o + L), a1);
                a2 = qd.fma(FloatVector.fromArray(F, kT, o + 2 * L), a2);
                a3 = qd.fma(FloatVector.fromArray(F, kT, o + 3 * L), a3);
            }
            a0.mul(scale).intoArray(p, j);
            a1.mul(scale).intoArray(p, j + L);
            a2.mul(scale).intoArray(p, j + 2 * L);
            a3.mul(scale).intoArray(p, j + 3 * L);
        }
        for (; j < TkUp; j += L) {
            FloatVector a = FloatVector.zero(F);
            for (int d = 0, o = ko + j; d < D; d++, o += capacity) a = FloatVector.broadcast(F, q[qo + d]).fma(FloatVector.fromArray(F, kT, o), a);
            a.mul(scale).intoArray(p, j);
        }
    }

    /**
     * out[oo + d] = Σ_{j < Tk} p[j]·v[vo + j·D + d], summed over j in order. The sums for four
     * vectors of d live in registers for the whole pass over the keys (storing and reloading them
     * per key would chain every step on the store).
     */
    private static void weightedSum(float[] p, int Tk, float[] v, int vo, int D, float[] out, int oo) {
        int d = 0;
        for (; d + 4 * L <= D; d += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0, o = vo + d; j < Tk; j++, o += D) {
                if (p[j] == 0f) continue;
                FloatVector w = FloatVector.broadcast(F, p[j]);
                a0 = w.fma(FloatVector.fromArray(F, v, o), a0);
                a1 = w.fma(FloatVector.fromArray(F, v, o + L), a1);
                a2 = w.fma(FloatVector.fromArray(F, v, o + 2 * L), a2);
                a3 = w.fma(FloatVector.fromArray(F, v, o + 3 * L), a3);
            }
            a0.intoArray(out, oo + d);
            a1.intoArray(out, oo + d + L);
            a2.intoArray(out, oo + d + 2 * L);
            a3.intoArray(out, oo + d + 3 * L);
        }
        for (; d + L <= D; d += L) {
            FloatVector a = FloatVector.zero(F);
            for (int j = 0, o = vo + d; j < Tk; j++, o += D)
                if (p[j] != 0f) a = FloatVector.broadcast(F, p[j]).fma(FloatVector.fromArray(F, v, o), a);
            a.intoArray(out, oo + d);
        }
        for (; d < D; d++) {
            float a = 0;
            for (int j = 0, o = vo + d; j < Tk; j++, o += D) if (p[j] != 0f) a = Math.fma(p[j], v[o], a);
            out[oo + d] = a;
        }
    }

    /** {@link #decodeCached}'s reference: the same layout, plain loops, the definition of attention. */
    public static void decodeCachedScalar(float[] q, float[] kT, float[] v, int B, int H, int Hkv, int Tk, int capacity, int D,
                                          float scale, float[] keyMask, float[] out) {
        int group = H / Hkv;
        float[] p = new float[Tk];
        for (int bh = 0; bh < B * H; bh++) {
            int b = bh / H, h = bh % H, qo = bh * D, kvh = b * Hkv + h / group;
            for (int j = 0; j < Tk; j++) {
                float dot = 0;
                for (int d = 0; d < D; d++) dot += q[qo + d] * kT[(kvh * D + d) * capacity + j];
                p[j] = keyMask != null && keyMask[b * Tk + j] == 0f ? Float.NEGATIVE_INFINITY : dot * scale;
            }
            Softmax.softmaxRowScalar(p, 0, p, 0, Tk);
            for (int d = 0; d < D; d++) {
                float o = 0;
                for (int j = 0; j < Tk; j++) o += p[j] * v[(kvh * capacity + j) * D + d];
                out[qo + d] = o;
            }
        }
    }

    /** What a KV cache's capacity must be a multiple of for {@link #decodeCached}. */
    public static int cacheMultiple() {
        return L;
    }

    /** x[off, off+n) *= scale. */
    private static void scaleRow(float[] x, int off, int n, float scale) {
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L)
            FloatVector.fromArray(F, x, off + j).mul(scale).intoArray(x, off + j);
        for (; j < n; j++) x[off + j] *= scale;
    }
}
