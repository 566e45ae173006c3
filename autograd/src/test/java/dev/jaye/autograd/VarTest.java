// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jaye.autograd.ops.Arith;
import dev.jaye.autograd.ops.Pointwise;
import dev.jaye.autograd.ops.Reductions;
import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The graph mechanics of {@link Var}: accumulation, no-grad scopes, detach, freezing, freeing. */
class VarTest {

    private static Var param(float... v) {
        return Var.param(Tensor.of(v, v.length));
    }

    @Test
    void leafGradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        Var x = param(1f, 2f, 3f);
        Reductions.sumAll(Arith.mul(x, 2f)).backward();             // d/dx = 2
        assertArrayEquals(new float[]{2, 2, 2}, x.grad().toArray());
        Reductions.sumAll(Arith.mul(x, 3f)).backward();             // a second graph: 2 + 3
        assertArrayEquals(new float[]{5, 5, 5}, x.grad().toArray());
        x.zeroGrad();
        assertNull(x.grad());
        Reductions.sumAll(x).backward();
        assertArrayEquals(new float[]{1, 1, 1}, x.grad().toArray());
    }

    @Test
    void noGradScopeRecordsNothingAndRestoresRecording() {
        Var x = param(1f, 2f);
        try (var outer = Var.noGrad()) {
            Var y = Pointwise.exp(x);
            assertFalse(y.needsGrad());
            try (var inner = Var.noGrad()) {
                assertFalse(Arith.mul(x, x).needsGrad());
            }
            assertFalse(Arith.add(x, 1f).needsGrad(), "closing the inner scope must not turn recording on");
            assertThrows(IllegalStateException.class, () -> Reductions.sumAll(y).backward());
        }
        Var z = Reductions.sumAll(Pointwise.exp(x));
        assertTrue(z.needsGrad(), "recording is back on after the outer scope");
        z.backward();
        assertArrayEquals(new float[]{(float) Math.exp(1), (float) Math.exp(2)}, x.grad().toArray(), 1e-6f);
    }

    @Test
    void detachStopsTheGradient() {
        Var x = param(3f);
        Var y = Arith.mul(x, x.detach());                           // d/dx of x·c = c, c = 3
        Reductions.sumAll(y).backward();
        assertArrayEquals(new float[]{3f}, x.grad().toArray());
        assertFalse(x.detach().needsGrad());
    }

    @Test
    void frozenLeavesGetNoGradientAndOpsOnThemRecordNothing() {
        Var w = param(2f, 4f).requiresGrad(false), x = param(1f, 1f);
        Var onlyFrozen = Arith.mul(w, w);
        assertFalse(onlyFrozen.needsGrad(), "an op fed only by frozen leaves needs no gradient");
        Reductions.sumAll(Arith.mul(w, x)).backward();
        assertNull(w.grad());
        assertArrayEquals(new float[]{2f, 4f}, x.grad().toArray());
        w.requiresGrad(true);
        Reductions.sumAll(Arith.mul(w, x)).backward();
        assertArrayEquals(new float[]{1f, 1f}, w.grad().toArray());
        assertThrows(IllegalStateException.class, () -> Arith.mul(w, x).requiresGrad(false), "only leaves can be frozen");
    }

    @Test
    void aValueUsedTwiceGetsBothContributions() {
        Var x = param(3f, -2f);
        Reductions.sumAll(Arith.mul(x, x)).backward();              // d(x·x)/dx = x + x
        assertArrayEquals(new float[]{6f, -4f}, x.grad().toArray());
        x.zeroGrad();
        Var y = Pointwise.exp(x);                                   // y feeds two branches
        Reductions.sumAll(Arith.add(y, Arith.mul(y, 2f))).backward();
        assertArrayEquals(new float[]{3f * (float) Math.exp(3), 3f * (float) Math.exp(-2)}, x.grad().toArray(), 1e-4f);
    }

    @Test
    void backwardOnANonScalarNeedsASeed() {
        Var y = Arith.mul(param(1f, 2f), 2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("[2]") && e.getMessage().contains("backward(seed)"),
                e.getMessage());
        y.backward(Tensor.of(new float[]{1f, -1f}, 2));               // with a seed it works
    }

    @Test
    void interiorNodesReleaseTheirGradientsLeavesKeepTheirs() {
        Var x = param(1f, 2f);
        Var h = Pointwise.tanh(x);
        Var loss = Reductions.sumAll(Arith.mul(h, h));
        loss.backward();
        assertNull(h.grad(), "an interior node drops its gradient once passed on");
        assertNull(loss.grad());
        assertNotNull(x.grad());
        assertThrows(IllegalStateException.class, () -> x.accumulate(Tensor.zeros(3)), "a gradient of the wrong shape is refused");
    }
}
