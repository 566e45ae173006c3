// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import com.aparapi.Kernel;


/**
 * Scaled-dot-product attention forward on OpenCL; the definition is
 * {@code Attention.attentionScalar}, whose arguments it takes: q [B, H, Tq, D], k and v
 * [B, Hkv, Tk, D] (query head h reads kv head h / (H / Hkv)), optional causal mask and key mask
 * [B, Tk], out [B, H, Tq, D], optional probs [B, H, Tq, Tk].
 *
 * <p>One work-item per (batch, head, query), doing what the reference does for one query: the Tk
 * scores (hidden keys get -inf), a softmax over them, and the weighted sum of values. A work-item
 * has no memory of its own large enough for Tk scores, so they live in global memory: in probs
 * when the caller wants them, otherwise in a scratch buffer kept on the kernel, which this code
 * never copies in or out.
 *
 * <p>Why not flash attention (blocks of keys streamed through local memory with a running max):
 * it is the fast form on a GPU, but several times the code; this form is the reference made
 * parallel, the baseline a faster kernel must match.
 */
public final class OpenClAttention {
    private OpenClAttention() {}

    static final class PerQueryKernel extends Kernel {
        float[] q = new float[1], k = new float[1], v = new float[1], keyMask = new float[1];
        float[] out = new float[1], p = new float[1];
        int batch, heads, kvHeads, tq, tk, d, causal, hasMask;
        float scale;
        // Host side, never read by run(): p when probs is null, reused so that p keeps its buffer.
        // Final, like every field Aparapi does not bind (Buffers).
        final float[][] scratch = {new float[1]};
        final float[] noMask = new float[1];

        @Override
        public void run() {
            int g = getGlobalId();                               // ((b·H + h)·Tq + i)
            if (g < batch * heads * tq) query(g);
        }

        void query(int g) {
            int i = g % tq, h = (g / tq) % heads, b = g / (tq * heads);
            int kvo = (b * kvHeads + h / (heads / kvHeads)) * tk * d;   // this head's k and v
            int qo = g * d, po = g * tk;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < tk; j++) {
                boolean visible = (causal == 0 || j <= tk - tq + i) && (hasMask == 0 || keyMask[b * tk + j] != 0f);
                float s = Float.NEGATIVE_INFINITY;
                if (visible) {
                    float dot = 0f;
                    for (int e = 0; e < d; e++) dot += q[qo + e] * k[kvo + j * d + e];
                    s = dot * scale;
                }
                p[po + j] = s;
                m = max(m, s);
            }
            // Softmax of the row in place, as Softmax.softmaxRowScalar: all hidden gives all 0.
            if (m == Float.NEGATIVE_INFINITY) {
                for (int j = 0; j < tk; j++) p[po + j] = 0f;
            } else {
                float sum = 0f;
                for (int j = 0; j < tk; j++) {
                    float ex = exp(p[po + j] - m);
                    p[po + j] = ex;
                    sum += ex;
                }
                float inv = 1f / sum;
                for (int j = 0; j < tk; j++) p[po + j] *= inv;
            }
            for (int e = 0; e < d; e++) {
                float o = 0f;
                for (int j = 0; j < tk; j++) o += p[po + j] * v[kvo + j * d + e];
                out[qo + e] = o;
            }
        }
    }

    /**
     * Attention forward: {@code Attention.attentionScalar}'s arguments (keyMask and probs may be
     * null), plus the device.
     */
    public static Launch attention(float[] q, float[] k, float[] v, int B, int H, int Hkv, int Tq, int Tk, int D,
                                   float scale, boolean causal, float[] keyMask, float[] out, float[] probs,
                                   OpenClDevice device) {
        Args.sizes("attention", B, H, Hkv, Tq, Tk, D);
        if (D == 0) throw new IllegalArgumentException("attention: head size D must be at least 1");
        if (Hkv == 0 || H % Hkv != 0)
            throw new IllegalArgumentException("attention: H = " + H + " must be a multiple of Hkv = " + Hkv);
        long rows = (long) B * H * Tq;
        Args.fits("attention q", q, 0, rows * D);
        Args.fits("attention k", k, 0, (long) B * Hkv * Tk * D);
        Args.fits("attention v", v, 0, (long) B * Hkv * Tk * D);
        if (keyMask != null) Args.fits("attention keyMask", keyMask, 0, (long) B * Tk);
        Args.fits("attention out", out, 0, rows * D);
        if (probs != null) Args.fits("attention probs", probs, 0, rows * Tk);
        if (rows == 0) return Launch.nothing("attention", device);
        if (Tk == 0) {                                           // no key to attend to: out = 0, as the reference
            java.util.Arrays.fill(out, 0, (int) (rows * D), 0f);
            return Launch.nothing("attention", device);
        }
        q = Launcher.unaliased(q, out);
        k = Launcher.unaliased(k, out, q);
        v = Launcher.unaliased(v, out, q, k);
        if (keyMask != null) keyMask = Launcher.unaliased(keyMask, out, q, k, v);
        PerQueryKernel kern = Launcher.kernel(PerQueryKernel.class, device, PerQueryKernel::new);
        synchronized (kern) {
            if (probs == null && kern.scratch[0].length < rows * Tk) kern.scratch[0] = new float[Math.toIntExact(rows * Tk)];
            kern.q = q; kern.k = k; kern.v = v; kern.out = out;
            kern.p = probs != null ? probs : kern.scratch[0];
            kern.keyMask = keyMask != null ? keyMask : kern.noMask;
            kern.batch = B; kern.heads = H; kern.kvHeads = Hkv; kern.tq = Tq; kern.tk = Tk; kern.d = D;
            kern.causal = causal ? 1 : 0; kern.hasMask = keyMask != null ? 1 : 0;
            kern.scale = scale;
            Launcher.Copies copies = new Launcher.Copies().in(q, k, v, keyMask).out(out, 0, rows * D).out(probs, 0, rows * Tk);
            return Launcher.run(kern, "attention", device, Launcher.range1D(device, (int) rows), copies);
        }
    }
}
