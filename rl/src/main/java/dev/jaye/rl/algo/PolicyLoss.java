// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.Arith;
import dev.jaye.tensor.Tensor;

/**
 * The loss of step IV for one backward batch: the PPO clipped objective plus {@code klCoeff}
 * times the k3 KL penalty, per response token, aggregated with weights.
 *
 * <pre>
 *   ratio   = exp(logp_new - logp_old)
 *   pg      = max(-A · ratio, -A · clip(ratio, 1 - eps_low, 1 + eps_high))
 *   kl (k3) = exp(ref - new) - (ref - new) - 1          (>= 0, unbiased for KL(new || ref))
 *   loss    = Σ_tokens weight · (pg + klCoeff · kl)
 * </pre>
 *
 * <p>The max picks, per token, the more pessimistic of the two terms; where the clipped one wins
 * its gradient is 0 (the ratio is outside the band and the advantage says "go further"), which
 * is what keeps one batch from moving the policy far. Built from differentiable ops
 * ({@link Arith#maximum}/{@link Arith#minimum} route the gradient to the winner), so its
 * gradient is checked like every other composition of them.
 *
 * <p>Weights carry the aggregation: {@code token_mean} gives every valid token of the
 * mini-batch 1 / (its tokens), {@code seq_mean} gives token t of row b 1 / (len_b · rows). The
 * normaliser counts the whole mini-batch, not this backward batch, so gradient accumulation over
 * several backward batches adds up to the mini-batch's loss.
 */
public final class PolicyLoss {
    private PolicyLoss() {}

    /**
     * The loss and, per token ([B][R], 0 past a row's length), what the metrics and the token
     * dump show: the ratio, the k3 KL, and whether clipping cut the gradient (-1: at the low
     * bound with A < 0, +1: at the high bound with A > 0, 0: not clipped).
     */
    public record Result(Var loss, double pgLoss, double klLoss, float[][] ratio, float[][] kl, int[][] clipped) {}

    /**
     * @param logProbs   the policy's log-probs now, differentiable, [B, R], any value past a row's length
     * @param old        the old log-probs per row (length = the row's response length)
     * @param ref        the reference log-probs per row, or null for no KL loss
     * @param adv        the advantage of each token per row
     * @param tokenMean  token_mean (true) or seq_mean aggregation
     * @param normaliser tokens (token_mean) or rows (seq_mean) in the whole mini-batch
     */
    public static Result compute(Var logProbs, float[][] old, float[][] ref, float[][] adv, double epsLow, double epsHigh,
                                 double klCoeff, boolean tokenMean, double normaliser) {
        int B = logProbs.shape()[0], R = logProbs.shape()[1];
        if (old.length != B || adv.length != B || (ref != null && ref.length != B))
            throw new IllegalArgumentException("log-probs have " + B + " rows; old " + old.length + ", adv " + adv.length
                    + (ref == null ? "" : ", ref " + ref.length));
        float[] o = new float[B * R], a = new float[B * R], rf = new float[B * R], w = new float[B * R];
        for (int b = 0; b < B; b++) {
            int len = old[b].length;
            if (adv[b].length != len || len > R || (ref != null && ref[b].length != len))
                throw new IllegalArgumentException("row " + b + ": " + len + " old log-probs, " + adv[b].length + " advantages"
                        + (ref == null ? "" : ", " + ref[b].length + " reference log-probs") + ", room for " + R);
            for (int t = 0; t < len; t++) {
                o[b * R + t] = old[b][t];
                a[b * R + t] = adv[b][t];
                if (ref != null) rf[b * R + t] = ref[b][t];
                w[b * R + t] = (float) (tokenMean ? 1 / normaliser : 1 / (len * normaliser));
            }
        }
        // Past a row's length the weight is 0; the old log-prob is set to the new one there so the
        // ratio is exactly 1 and nothing overflows into a NaN that 0 · weight would not remove.
        float[] lp = logProbs.value.data();
        for (int b = 0; b < B; b++) for (int t = old[b].length; t < R; t++) o[b * R + t] = lp[b * R + t];
        Var weight = Var.constant(Tensor.wrap(w, B, R)), A = Var.constant(Tensor.wrap(a, B, R));

        Var ratio = logProbs.sub(Var.constant(Tensor.wrap(o, B, R))).exp();
        Var clippedRatio = Arith.minimum(Arith.maximum(ratio, scalar(1 - epsLow)), scalar(1 + epsHigh));
        Var pg = Arith.maximum(A.neg().mul(ratio), A.neg().mul(clippedRatio));
        Var pgLoss = pg.mul(weight).sum();
        Var loss = pgLoss;
        Var klLoss = null, kl = null;
        if (ref != null) {
            for (int b = 0; b < B; b++) for (int t = old[b].length; t < R; t++) rf[b * R + t] = lp[b * R + t];
            Var d = Var.constant(Tensor.wrap(rf, B, R)).sub(logProbs);     // ref - new
            kl = d.exp().sub(d).sub(1f);
            klLoss = kl.mul(weight).sum();
            if (klCoeff != 0) loss = loss.add(klLoss.mul((float) klCoeff));
        }

        float[][] ratios = new float[B][], kls = new float[B][];
        int[][] clip = new int[B][];
        float[] rv = ratio.value.data(), kv = kl == null ? null : kl.value.data();
        for (int b = 0; b < B; b++) {
            int len = old[b].length;
            ratios[b] = new float[len];
            kls[b] = new float[len];
            clip[b] = new int[len];
            for (int t = 0; t < len; t++) {
                float r = rv[b * R + t], ad = a[b * R + t];
                ratios[b][t] = r;
                if (kv != null) kls[b][t] = kv[b * R + t];
                clip[b][t] = ad < 0 && r < 1 - epsLow ? -1 : ad > 0 && r > 1 + epsHigh ? 1 : 0;
            }
        }
        return new Result(loss, pgLoss.item(), klLoss == null ? 0 : klLoss.item(), ratios, kls, clip);
    }

    private static Var scalar(double v) {
        return Var.constant(Tensor.scalar((float) v));
    }
}
