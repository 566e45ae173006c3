// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

import dev.jaye.autograd.GradCheck;
import dev.jaye.autograd.Var;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyLossTest {
    static final double EPS = 0.2;

    /** One row [1, R] of new log-probs as a parameter, so its gradient can be read. */
    static Var row(float... lp) {
        return Var.param(Tensor.wrap(lp.clone(), 1, lp.length));
    }

    @Test
    void atRatioOneTheLossIsMinusTheMeanAdvantage() {
        Var lp = row(-1f, -2f, -0.5f);
        float[][] old = {{-1f, -2f, -0.5f}}, adv = {{1f, -2f, 4f}};
        PolicyLoss.Result r = PolicyLoss.compute(lp, old, null, adv, EPS, EPS, 0, true, 3);
        assertEquals(-(1 - 2 + 4) / 3.0, r.loss().item(), 1e-6);
        r.loss().backward();
        // d/dlogp of -A·exp(lp - old) at ratio 1 is -A, weighted 1/3
        assertArrayEquals(new float[]{-1f / 3, 2f / 3, -4f / 3}, lp.grad().data(), 1e-6f);
        assertArrayEquals(new float[]{1f, 1f, 1f}, r.ratio()[0], 1e-6f);
        assertArrayEquals(new int[]{0, 0, 0}, r.clipped()[0]);
    }

    @Test
    void clippingStopsTheGradientOnlyWhereTheAdvantageWantsToGoFurther() {
        float up = (float) Math.log(1.5), down = (float) Math.log(0.5);
        // tokens: ratio 1.5 with A=+1 (clipped high), ratio 1.5 with A=-1 (not clipped: pessimistic side),
        //         ratio 0.5 with A=-1 (clipped low), ratio 0.5 with A=+1 (not clipped)
        Var lp = row(up, up, down, down);
        float[][] old = {{0, 0, 0, 0}}, adv = {{1, -1, -1, 1}};
        PolicyLoss.Result r = PolicyLoss.compute(lp, old, null, adv, EPS, EPS, 0, true, 4);
        // per token: max(-A r, -A clip(r)): -1.2, 1.5, 0.8 (= max(-0.5·-1, 0.8)), -0.5
        assertEquals((-1.2 + 1.5 + 0.8 - 0.5) / 4, r.loss().item(), 1e-6);
        r.loss().backward();
        assertArrayEquals(new float[]{0f, 1.5f / 4, 0f, -0.5f / 4}, lp.grad().data(), 1e-6f);
        assertArrayEquals(new int[]{1, 0, -1, 0}, r.clipped()[0]);
    }

    @Test
    void clipHigherLetsAPositiveAdvantageGrowFurtherThanANegativeOneShrinks() {
        // DAPO's clip-higher: epsilon_low 0.2, epsilon_high 0.28. Ratio 1.25 with A=+1 is inside [0.8, 1.28]: not
        // clipped (symmetric 0.2 would clip it); ratio 1.3 with A=+1 is; ratio 0.75 with A=-1 is clipped low.
        float a = (float) Math.log(1.25), b = (float) Math.log(1.3), c = (float) Math.log(0.75);
        Var lp = row(a, b, c);
        float[][] old = {{0, 0, 0}}, adv = {{1, 1, -1}};
        PolicyLoss.Result r = PolicyLoss.compute(lp, old, null, adv, 0.2, 0.28, 0, true, 3);
        assertArrayEquals(new int[]{0, 1, -1}, r.clipped()[0]);
        assertEquals((-1.25 - 1.28 + 0.8) / 3, r.loss().item(), 1e-6);
        r.loss().backward();
        assertArrayEquals(new float[]{-1.25f / 3, 0f, 0f}, lp.grad().data(), 1e-6f);
        PolicyLoss.Result symmetric = PolicyLoss.compute(row(a, b, c), old, null, adv, EPS, EPS, 0, true, 3);
        assertArrayEquals(new int[]{1, 1, -1}, symmetric.clipped()[0]);
    }

    @Test
    void theK3KlIsExpDMinusDMinusOneAndIsWeightedByItsCoefficient() {
        Var lp = row(-1f, -1f);
        float[][] old = {{-1f, -1f}}, ref = {{-1f, -2f}}, adv = {{0f, 0f}};
        PolicyLoss.Result r = PolicyLoss.compute(lp, old, ref, adv, EPS, EPS, 0.5, true, 2);
        double d = -1, k3 = Math.exp(d) - d - 1;          // second token: ref - new = -1
        assertEquals(k3 / 2, r.klLoss(), 1e-6);
        assertEquals(0.5 * k3 / 2, r.loss().item(), 1e-6);
        assertEquals(0f, r.kl()[0][0], 1e-7f);
        assertEquals(k3, r.kl()[0][1], 1e-6);
        r.loss().backward();
        // d k3 / d new = -(exp(d) - 1) = 1 - exp(d), times 0.5 · 1/2
        assertEquals(0.25 * (1 - Math.exp(d)), lp.grad().data()[1], 1e-6);
    }

    @Test
    void seqMeanWeighsEveryResponseEquallyWhateverItsLength() {
        // two rows: lengths 1 and 3, all advantages 1 at ratio 1; seq_mean = mean over rows of their token mean
        Var lp = Var.param(Tensor.wrap(new float[]{0, 0, 0, 0, 0, 0}, 2, 3));
        float[][] old = {{0f}, {0f, 0f, 0f}}, adv = {{1f}, {1f, 1f, 1f}};
        PolicyLoss.Result seq = PolicyLoss.compute(lp, old, null, adv, EPS, EPS, 0, false, 2);
        seq.loss().backward();
        assertArrayEquals(new float[]{-0.5f, 0, 0, -1f / 6, -1f / 6, -1f / 6}, lp.grad().data(), 1e-6f);
        lp.zeroGrad();
        PolicyLoss.Result tok = PolicyLoss.compute(lp, old, null, adv, EPS, EPS, 0, true, 4);
        tok.loss().backward();
        assertArrayEquals(new float[]{-0.25f, 0, 0, -0.25f, -0.25f, -0.25f}, lp.grad().data(), 1e-6f);
        assertEquals(-1, seq.loss().item(), 1e-6);
        assertEquals(-1, tok.loss().item(), 1e-6);
    }

    /** Gradcheck over random shapes, lengths, advantages and ratios kept away from the clip kinks. */
    @Property(tries = 60, seed = "7")
    void gradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 4) int B, @ForAll @IntRange(min = 1, max = 6) int R,
                                         @ForAll @IntRange(min = 0, max = 1_000_000) int seed, @ForAll boolean tokenMean) {
        Rng rng = new Rng(seed);
        float[][] old = new float[B][], ref = new float[B][], adv = new float[B][];
        float[] now = new float[B * R];
        int tokens = 0;
        for (int b = 0; b < B; b++) {
            int len = 1 + rng.nextInt(R);
            tokens += len;
            old[b] = new float[len];
            ref[b] = new float[len];
            adv[b] = new float[len];
            for (int t = 0; t < len; t++) {
                old[b][t] = -0.1f - 3 * rng.uniform();
                ref[b][t] = old[b][t] + (rng.uniform() - 0.5f);
                adv[b][t] = 2 * rng.uniform() - 1;
                float d;
                do d = rng.uniform() - 0.5f;                       // log-ratio in [-0.5, 0.5)
                while (Math.abs(d - Math.log(1 - EPS)) < 0.03 || Math.abs(d - Math.log(1 + EPS)) < 0.03);
                now[b * R + t] = old[b][t] + d;
            }
            for (int t = len; t < R; t++) now[b * R + t] = -1;
        }
        double normaliser = tokenMean ? tokens : B;
        var result = GradCheck.check("ppo+k3", v -> PolicyLoss.compute(v[0], old, ref, adv, EPS, EPS, 0.3, tokenMean, normaliser).loss(),
                seed, Tensor.wrap(now, B, R));
        assertTrue(result.ok(), result.toString());
    }
}
