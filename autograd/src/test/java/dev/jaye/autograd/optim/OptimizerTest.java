// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.optim;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {

    private static Map<String, Var> params(Var... vs) {
        Map<String, Var> m = new LinkedHashMap<>();
        for (int i = 0; i < vs.length; i++) m.put("p" + i, vs[i]);
        return m;
    }

    private static void setGrad(Var p, float... g) {
        p.zeroGrad();
        p.accumulate(Tensor.of(g, p.shape()));
    }

    /** Values computed by hand (in double, from the update formulas in AdamW's header) for g = 0.5, -1, 0.25. */
    @Test
    void adamWFirstStepsMatchHandComputedValues() {
        Var p = Var.param(Tensor.of(new float[]{1f}, 1, 1));          // rank 2: weight decay applies
        AdamW opt = AdamW.of(params(p), LrSchedule.constant(0.1), 0.01);
        double[] expected = {0.899000002, 0.9347113542385653, 0.9474457089827375};
        float[] grads = {0.5f, -1f, 0.25f};
        for (int t = 0; t < 3; t++) {
            setGrad(p, grads[t]);
            opt.step();
            assertEquals(expected[t], p.value.data()[0], 1e-6, "after step " + (t + 1));
        }
        assertEquals(3, opt.stepCount());
    }

    @Test
    void adamWSkipsDecayOnVectorsAndSkipsFrozenParameters() {
        Var bias = Var.param(Tensor.of(new float[]{1f}, 1)), frozen = Var.param(Tensor.of(new float[]{1f}, 1, 1));
        AdamW opt = AdamW.of(params(bias, frozen), LrSchedule.constant(0.1), 0.5);
        setGrad(bias, 0.5f);
        setGrad(frozen, 0.5f);
        frozen.requiresGrad(false);
        opt.step();
        assertEquals(0.9f, bias.value.data()[0], 1e-6f, "no decay on a rank-1 parameter: 1 - lr·1");
        assertEquals(1f, frozen.value.data()[0], "a frozen parameter does not move");
    }

    @Test
    void sgdWithMomentumMatchesHandComputedValues() {
        Var p = Var.param(Tensor.of(new float[]{1f}, 1));
        Sgd opt = new Sgd(params(p), LrSchedule.constant(0.1), 0.9);
        double[] expected = {0.95, 1.005, 1.0295};
        float[] grads = {0.5f, -1f, 0.25f};
        for (int t = 0; t < 3; t++) {
            setGrad(p, grads[t]);
            opt.step();
            assertEquals(expected[t], p.value.data()[0], 1e-6, "after step " + (t + 1));
        }
    }

    @Test
    void warmupCosineRisesLinearlyThenFallsToTheMinimum() {
        LrSchedule s = LrSchedule.warmupCosine(1.0, 10, 110, 0.1);
        assertEquals(0.1, s.lr(0), 1e-12);                      // (0+1)/10 of the peak
        assertEquals(0.5, s.lr(4), 1e-12);
        assertEquals(1.0, s.lr(9), 1e-12);
        assertEquals(1.0, s.lr(10), 1e-12);                     // cosine starts at the peak
        assertEquals(0.55, s.lr(60), 1e-12);                    // half way: (peak + min) / 2
        assertEquals(0.1, s.lr(110), 1e-12);
        assertEquals(0.1, s.lr(500), 1e-12);
        for (int t = 10; t < 110; t++) assertTrue(s.lr(t + 1) <= s.lr(t), "decreasing after warm-up at " + t);
        assertEquals(0.3, LrSchedule.constant(0.3).lr(1234));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(1, 10, 5, 0));
    }

    @Test
    void clippingScalesToTheMaxNormAndReturnsTheNormBefore() {
        Var a = Var.param(Tensor.of(new float[]{3f}, 1)), b = Var.param(Tensor.of(new float[]{4f}, 1));
        Sgd opt = new Sgd(params(a, b), LrSchedule.constant(0.1), 0);
        setGrad(a, 3f);
        setGrad(b, 4f);
        assertEquals(5.0, opt.clipGradNorm(1.0), 1e-9);
        assertEquals(0.6f, a.grad().data()[0], 1e-6f);
        assertEquals(0.8f, b.grad().data()[0], 1e-6f);
        assertEquals(1.0, opt.clipGradNorm(10.0), 1e-5, "below the limit nothing changes");
        assertEquals(0.6f, a.grad().data()[0], 1e-6f);
    }

    @Test
    void savedStateResumesExactly() {
        float[][] grads = {{0.5f, -0.2f}, {-1f, 0.3f}, {0.25f, 0.1f}, {0.7f, -0.4f}};
        Var straight = Var.param(Tensor.of(new float[]{1f, 2f}, 1, 2));
        AdamW a = AdamW.of(params(straight), LrSchedule.warmupCosine(0.1, 2, 4, 0), 0.01);
        for (float[] g : grads) { setGrad(straight, g); a.step(); }

        Var first = Var.param(Tensor.of(new float[]{1f, 2f}, 1, 2));
        AdamW b = AdamW.of(params(first), LrSchedule.warmupCosine(0.1, 2, 4, 0), 0.01);
        for (int t = 0; t < 2; t++) { setGrad(first, grads[t]); b.step(); }
        Map<String, Tensor> saved = new LinkedHashMap<>();
        b.state().forEach((k, v) -> saved.put(k, v.copy()));

        Var resumed = Var.param(first.value.copy());
        AdamW c = AdamW.of(params(resumed), LrSchedule.warmupCosine(0.1, 2, 4, 0), 0.01);
        c.load(saved);
        for (int t = 2; t < 4; t++) { setGrad(resumed, grads[t]); c.step(); }
        assertArrayEquals(straight.value.data(), resumed.value.data(), "resumed run equals the straight run");
        assertEquals(4, c.stepCount());

        saved.remove("m/p0");
        assertThrows(IllegalArgumentException.class, () -> c.load(saved), "a missing buffer is refused");
    }

    @Test
    void zeroGradClearsEveryParameter() {
        Var a = Var.param(Tensor.of(new float[]{1f}, 1));
        Sgd opt = new Sgd(params(a), LrSchedule.constant(0.1), 0);
        setGrad(a, 1f);
        opt.zeroGrad();
        assertNull(a.grad());
    }
}
