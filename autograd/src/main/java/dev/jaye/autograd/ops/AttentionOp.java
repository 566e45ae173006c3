// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.Attention;
import dev.jaye.tensor.kernels.MatMul;

import java.util.Arrays;

/**
 * Scaled-dot-product attention as one differentiable op: O = softmax(scale·Q·Kᵀ + mask)·V per
 * head, scale = 1/√D, with grouped key/value heads, a causal mask and a key mask (see the
 * {@link Attention} kernel for shapes and masking).
 *
 * <p>Backward, per query head, from the weights P that forward saved ([Tq, Tk]; masked entries
 * are exactly 0) and the incoming dO [Tq, D]. Forward was S = scale·Q·Kᵀ (+ mask),
 * P = softmax_rows(S), O = P·V, so going back step by step:
 * <pre>
 *   O = P·V            ->  dV = Pᵀ·dO                       [Tk, Tq]·[Tq, D]
 *                          dP = dO·Vᵀ                       [Tq, D]·[D, Tk]
 *   P = softmax(S)     ->  dS_ij = P_ij·(dP_ij − Σ_k dP_ik·P_ik)      (softmax backward, row by row)
 *   S = scale·Q·Kᵀ     ->  dQ = scale·dS·K                  [Tq, Tk]·[Tk, D]
 *                          dK = scale·dSᵀ·Q                 [Tk, Tq]·[Tq, D]
 * </pre>
 * The mask is a constant added to S, so it has no gradient of its own; it shows up only through
 * P: a hidden key has P_ij = 0, hence dS_ij = 0, and a query that sees no key at all (P row all
 * 0, output 0) passes no gradient anywhere, which is right since its output is constant.
 *
 * <p>Grouped heads: query heads h = kh·group ... kh·group + group − 1 all read kv head kh, so
 * kh's dK and dV are the sums of their contributions. Backward therefore runs one (batch, kv
 * head) per work item: it walks that head's query heads in order, writes their dQ and adds into
 * its own dK, dV. No two threads write the same memory and the order of the sums is fixed.
 */
public final class AttentionOp {
    private AttentionOp() {}

    /**
     * q [B, H, Tq, D], k and v [B, Hkv, Tk, D] (Hkv divides H); keyMask [B, Tk] (1 = attend,
     * 0 = padding) is a constant, or null. Returns [B, H, Tq, D].
     */
    public static Var attention(Var q, Var k, Var v, boolean causal, Tensor keyMask) {
        int[] qs = q.shape(), ks = k.shape();
        if (qs.length != 4 || ks.length != 4 || !Arrays.equals(ks, v.shape()) || qs[0] != ks[0]
                || qs[3] != ks[3] || ks[1] == 0 || qs[1] % ks[1] != 0)
            throw new IllegalArgumentException("attention needs q [B,H,Tq,D] and k, v [B,Hkv,Tk,D] with Hkv dividing H; shapes are "
                    + Shape.str(qs) + ", " + Shape.str(ks) + ", " + Shape.str(v.shape()));
        int B = qs[0], H = qs[1], Tq = qs[2], D = qs[3], Hkv = ks[1], Tk = ks[2];
        if (keyMask != null && !Arrays.equals(keyMask.shape(), new int[]{B, Tk})) throw new IllegalArgumentException(
                "attention keyMask has shape " + Shape.str(keyMask.shape()) + ", needs [" + B + ", " + Tk + "]");
        float scale = (float) (1 / Math.sqrt(D));
        float[] mask = keyMask == null ? null : keyMask.data();  // backward does not need it: P carries the mask

        // The output Var is made before it is filled, so that needsGrad() can say whether to keep
        // the weights P: [B, H, Tq, Tk] is the big one, and inference (noGrad) should not pay for it.
        Tensor o = Tensor.zeros(qs);
        Var out = Var.of("attention", o, q, k, v);
        float[] probs = out.needsGrad() ? new float[B * H * Tq * Tk] : null;
        Attention.attention(q.value.data(), k.value.data(), v.value.data(), B, H, Hkv, Tq, Tk, D, scale, causal, mask,
                o.data(), probs);

        return out.withBackward(() -> {
            float[] Q = q.value.data(), K = k.value.data(), V = v.value.data(), dO = out.grad().data();
            boolean wantQ = q.needsGrad(), wantK = k.needsGrad(), wantV = v.needsGrad(), wantS = wantQ || wantK;
            float[] dq = new float[Q.length], dk = new float[K.length], dv = new float[V.length];
            int group = H / Hkv;
            Parallel.forRange(B * Hkv, (long) group * Tq * Tk * (4L * D + 4), (i0, i1) -> {
                float[] dS = new float[Tq * Tk];                 // dP, then dS in place; one per thread
                for (int item = i0; item < i1; item++) {
                    int b = item / Hkv, kh = item % Hkv;
                    int kvo = (b * Hkv + kh) * Tk * D;           // this kv head's K, V, dK, dV
                    for (int h = kh * group; h < (kh + 1) * group; h++) {
                        int qo = (b * H + h) * Tq * D, po = (b * H + h) * Tq * Tk;
                        if (wantV) MatMul.matmul(probs, po, dO, qo, dv, kvo, Tk, D, Tq, true, false, true);  // dV += Pᵀ·dO
                        if (!wantS) continue;
                        MatMul.matmul(dO, qo, V, kvo, dS, 0, Tq, Tk, D, false, true, false);                 // dP = dO·Vᵀ
                        for (int i = 0; i < Tq; i++) {                                                        // dS, with scale folded in
                            int row = i * Tk, prow = po + i * Tk;
                            float dot = 0f;                                                                   // Σ_k dP_ik·P_ik
                            for (int j = 0; j < Tk; j++) dot += dS[row + j] * probs[prow + j];
                            for (int j = 0; j < Tk; j++) dS[row + j] = probs[prow + j] * (dS[row + j] - dot) * scale;
                        }
                        if (wantQ) MatMul.matmul(dS, 0, K, kvo, dq, qo, Tq, D, Tk, false, false, false);     // dQ = dS·K
                        if (wantK) MatMul.matmul(dS, 0, Q, qo, dk, kvo, Tk, D, Tq, true, false, true);       // dK += dSᵀ·Q
                    }
                }
            });
            if (wantQ) q.accumulateFresh(Tensor.wrap(dq, qs));
            if (wantK) k.accumulateFresh(Tensor.wrap(dk, ks));
            if (wantV) v.accumulateFresh(Tensor.wrap(dv, ks));
        });
    }
}
