// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;

import java.util.Arrays;

/**
 * Arithmetic with NumPy broadcasting, each forward next to its backward.
 *
 * <p>Broadcasting in the forward means summing in the backward: an input of shape [C] added to
 * [B, T, C] was used B·T times, so its gradient is the sum of the B·T gradients
 * ({@link #sumTo}).
 */
public final class Arith {
    private Arith() {}

    /** out = a + b. d/da = 1, d/db = 1. */
    public static Var add(Var a, Var b) {
        Var out = Var.of("add", a.value.add(b.value), a, b);
        return out.withBackward(() -> {
            if (a.needsGrad()) a.accumulate(sumTo(out.grad(), a.value.shape()));
            if (b.needsGrad()) b.accumulate(sumTo(out.grad(), b.value.shape()));
        });
    }

    /** out = a − b. d/da = 1, d/db = −1. */
    public static Var sub(Var a, Var b) {
        Var out = Var.of("sub", a.value.sub(b.value), a, b);
        return out.withBackward(() -> {
            if (a.needsGrad()) a.accumulate(sumTo(out.grad(), a.value.shape()));
            if (b.needsGrad()) b.accumulate(sumTo(out.grad().neg(), b.value.shape()));
        });
    }

    /** out = a · b. d/da = b, d/db = a. */
    public static Var mul(Var a, Var b) {
        Var out = Var.of("mul", a.value.mul(b.value), a, b);
        return out.withBackward(() -> {
            if (a.needsGrad()) a.accumulate(sumTo(out.grad().mul(b.value), a.value.shape()));
            if (b.needsGrad()) b.accumulate(sumTo(out.grad().mul(a.value), b.value.shape()));
        });
    }

    /** out = a / b. d/da = 1/b, d/db = −a/b² = −out/b. */
    public static Var div(Var a, Var b) {
        Var out = Var.of("div", a.value.div(b.value), a, b);
        return out.withBackward(() -> {
            Tensor gOverB = out.grad().div(b.value);
            if (a.needsGrad()) a.accumulate(sumTo(gOverB, a.value.shape()));
            if (b.needsGrad()) b.accumulate(sumTo(gOverB.mul(out.value).neg(), b.value.shape()));
        });
    }

    /** out = −a. */
    public static Var neg(Var a) {
        Var out = Var.of("neg", a.value.neg(), a);
        return out.withBackward(() -> a.accumulate(out.grad().neg()));
    }

    /** out = a + s for a constant s. */
    public static Var add(Var a, float s) {
        Var out = Var.of("add_scalar", a.value.add(s), a);
        return out.withBackward(() -> a.accumulate(out.grad()));
    }

    /** out = a · s for a constant s. */
    public static Var mul(Var a, float s) {
        Var out = Var.of("mul_scalar", a.value.mul(s), a);
        return out.withBackward(() -> a.accumulate(out.grad().mul(s)));
    }

    /** out = a − s for a constant s. d/da = 1. */
    public static Var sub(Var a, float s) {
        Var out = Var.of("sub_scalar", a.value.sub(s), a);
        return out.withBackward(() -> a.accumulate(out.grad()));
    }

    /** out = a / s for a constant s. d/da = 1/s. */
    public static Var div(Var a, float s) {
        Var out = Var.of("div_scalar", a.value.div(s), a);
        return out.withBackward(() -> a.accumulate(out.grad().div(s)));
    }

    /**
     * out = a^p for a constant p. d/da = p·a^(p−1). For a non-integer p the input must be
     * positive (a negative base has no real power), as in Math.pow.
     */
    public static Var pow(Var a, float p) {
        Var out = Var.of("pow", a.value.pow(p), a);
        return out.withBackward(() -> a.accumulate(out.grad().mul(a.value.pow(p - 1f).mul(p))));
    }

    /**
     * out = max(a, b), broadcast. The gradient goes to the winner: d/da = [a ≥ b], d/db = [a < b],
     * so on a tie all of it goes to a (max is not differentiable there; any split would do, one
     * winner keeps the sum of the two shares right).
     */
    public static Var maximum(Var a, Var b) {
        Var out = Var.of("maximum", a.value.maximum(b.value), a, b);
        return out.withBackward(() -> routeToWinner(out.grad(), a.value.ge(b.value), a, b));
    }

    /** out = min(a, b), broadcast. d/da = [a ≤ b], d/db = [a > b]: ties go to a, as in {@link #maximum}. */
    public static Var minimum(Var a, Var b) {
        Var out = Var.of("minimum", a.value.minimum(b.value), a, b);
        return out.withBackward(() -> routeToWinner(out.grad(), a.value.le(b.value), a, b));
    }

    /** a gets g where {@code aWins} is 1, b gets g where it is 0; each summed back to its own shape. */
    private static void routeToWinner(Tensor g, Tensor aWins, Var a, Var b) {
        Tensor zero = Tensor.scalar(0f);
        if (a.needsGrad()) a.accumulate(sumTo(Tensor.where(aWins, g, zero), a.value.shape()));
        if (b.needsGrad()) b.accumulate(sumTo(Tensor.where(aWins, zero, g), b.value.shape()));
    }

    /**
     * Sums a gradient of the broadcast shape back to the input's {@code shape}: over the leading
     * axes the input did not have, and over the axes where it had size 1.
     */
    public static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        if (lead < 0) throw new IllegalStateException("gradient " + Shape.str(gs) + " has lower rank than input " + Shape.str(shape));
        Tensor r = g;
        for (int i = 0; i < lead; i++) r = r.sum(0, false);
        for (int i = 0; i < shape.length; i++) if (shape[i] == 1 && r.dim(i) != 1) r = r.sum(i, true);
        return r.reshape(shape);
    }
}
