// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.kernels.Attention;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The per-query OpenCL attention against {@code Attention.attentionScalar}, with the budget of
 * AttentionTest (u = 2^-24): a score is a D-term dot product, off by at most
 * Δs = 2D·u·|q|·|k|·scale (here from fused multiply-adds, not reordering); a weight then moves by
 * a factor within e^{±2Δs}, and the softmax adds (2Tk + 24)·u with OpenCL's exp and divide (see
 * OpenClSoftmaxTest); out = Σ p·v adds max|v|·(Σ|Δp| + 2Tk·u). A wrong mask or head mapping is
 * off by O(0.1).
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClAttentionTest {
    static final float U = 0x1p-24f;

    /** Key mask [B, Tk] with about 30% of keys dropped and the last batch row all padding. */
    static float[] keyMask(long seed, int B, int Tk) {
        Rng r = new Rng(seed);
        float[] m = new float[B * Tk];
        for (int i = 0; i < m.length; i++) m[i] = i / Tk < B - 1 && r.uniform() < 0.7f ? 1f : 0f;
        return m;
    }

    @Property(tries = 30, seed = "42")
    void matchesReference(@ForAll @IntRange(min = 1, max = 3) int B, @ForAll @IntRange(min = 1, max = 4) int H,
                          @ForAll boolean grouped, @ForAll @IntRange(min = 1, max = 70) int Tk,
                          @ForAll @IntRange(min = 0, max = 69) int tqPick, @ForAll @IntRange(min = 1, max = 80) int D,
                          @ForAll boolean causal, @ForAll boolean masked, @ForAll boolean wantProbs, @ForAll long seed) {
        int Hkv = grouped && H % 2 == 0 ? H / 2 : grouped ? 1 : H;      // a divisor of H
        int Tq = tqPick % 3 == 0 ? Tk : 1 + tqPick % Tk;                  // square often, else a KV-cache shape
        float[] q = Check.normals(seed, B * H * Tq * D), k = Check.normals(seed + 1, B * Hkv * Tk * D);
        float[] v = Check.normals(seed + 2, B * Hkv * Tk * D), mask = masked ? keyMask(seed + 3, B, Tk) : null;
        float scale = (float) (1 / Math.sqrt(D));
        float[] ref = new float[q.length], out = new float[q.length];
        float[] pRef = new float[B * H * Tq * Tk], p = wantProbs ? new float[pRef.length] : null;
        Attention.attentionScalar(q, k, v, B, H, Hkv, Tq, Tk, D, scale, causal, mask, ref, pRef);
        OpenClAttention.attention(q, k, v, B, H, Hkv, Tq, Tk, D, scale, causal, mask, out, p, RequiresOpenCl.device());

        float ds = 2 * D * U * Check.maxRowNorm(q, D) * Check.maxRowNorm(k, D) * scale;
        float dp = 2 * ds + (2 * Tk + 24) * U;
        String what = "B=" + B + " H=" + H + " Hkv=" + Hkv + " Tq=" + Tq + " Tk=" + Tk + " D=" + D
                + " causal=" + causal + " masked=" + masked;
        if (wantProbs) Check.close("probs " + what, pRef, p, 1e-37f, dp);
        Check.close("out " + what, ref, out, Check.maxAbs(v) * (dp + 2 * Tk * U), 0f);
    }
}
