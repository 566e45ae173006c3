// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.ActivationGrad;

/**
 * Element-wise functions y = f(x), each forward next to its backward dx = g·f'(x).
 *
 * <p>Where f' is cheaper to write with the output y than with x, the backward uses the saved
 * output: (eˣ)' = y, tanh' = 1 − y², σ' = y(1 − y), √' = 1/(2y). The closure holds on to
 * {@code out.value} anyway, so this costs no memory and saves recomputing exp or tanh.
 */
public final class Pointwise {
    private Pointwise() {}

    /** y = eˣ. dy/dx = eˣ = y. */
    public static Var exp(Var x) {
        Var out = Var.of("exp", x.value.exp(), x);
        return out.withBackward(() -> x.accumulate(out.grad().mul(out.value)));
    }

    /** y = ln x (x > 0). dy/dx = 1/x. */
    public static Var log(Var x) {
        Var out = Var.of("log", x.value.log(), x);
        return out.withBackward(() -> x.accumulate(out.grad().div(x.value)));
    }

    /** y = √x. dy/dx = 1/(2√x) = 0.5/y. */
    public static Var sqrt(Var x) {
        Var out = Var.of("sqrt", x.value.sqrt(), x);
        return out.withBackward(() -> x.accumulate(out.grad().mul(0.5f).div(out.value)));
    }

    /** y = 1/√x = x^(−1/2). dy/dx = −½·x^(−3/2) = −½·y³. */
    public static Var rsqrt(Var x) {
        Var out = Var.of("rsqrt", x.value.rsqrt(), x);
        return out.withBackward(() -> x.accumulate(out.grad().mul(out.value.pow(3f)).mul(-0.5f)));
    }

    /** y = tanh x. dy/dx = 1 − tanh²x = 1 − y². */
    public static Var tanh(Var x) {
        Var out = Var.of("tanh", x.value.tanh(), x);
        return out.withBackward(() -> {
            Tensor y = out.value;
            x.accumulate(out.grad().mul(y.square().neg().add(1f)));
        });
    }

    /** y = σ(x) = 1/(1 + e⁻ˣ). dy/dx = σ(x)(1 − σ(x)) = y(1 − y). */
    public static Var sigmoid(Var x) {
        Var out = Var.of("sigmoid", x.value.sigmoid(), x);
        return out.withBackward(() -> {
            Tensor y = out.value;
            x.accumulate(out.grad().mul(y.mul(y.neg().add(1f))));
        });
    }

    /** y = max(x, 0). dy/dx = [x > 0] (0 at the kink x = 0, as PyTorch does). */
    public static Var relu(Var x) {
        Var out = Var.of("relu", x.value.relu(), x);
        return out.withBackward(() -> x.accumulate(out.grad().mul(x.value.gt(Tensor.scalar(0f)))));
    }

    /**
     * GELU, tanh form: y = ½·x·(1 + tanh u) with u = √(2/π)·(x + 0.044715·x³).
     * The output alone does not give tanh u back, so the backward recomputes it from x.
     */
    public static Var gelu(Var x) {
        Var out = Var.of("gelu", x.value.gelu(), x);
        return out.withBackward(() -> {
            // dy/dx = ½(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²), where t = tanh u
            // (ActivationGrad: the definition and its vector version).
            Tensor dx = Tensor.zeros(x.value.shape());
            ActivationGrad.geluBackward(x.value.data(), out.grad().data(), dx.data(), dx.size());
            x.accumulateFresh(dx);
        });
    }

    /** y = x·σ(x) (SiLU, "swish"). dy/dx = σ + x·σ(1 − σ) = σ·(1 + x(1 − σ)). */
    public static Var silu(Var x) {
        Var out = Var.of("silu", x.value.silu(), x);
        return out.withBackward(() -> {                          // σ recomputed: y/x would fail at x = 0
            Tensor dx = Tensor.zeros(x.value.shape());
            ActivationGrad.siluBackward(x.value.data(), out.grad().data(), dx.data(), dx.size());
            x.accumulateFresh(dx);
        });
    }

    /** y = |x|. dy/dx = sign(x) (0 at x = 0). */
    public static Var abs(Var x) {
        Var out = Var.of("abs", x.value.abs(), x);
        return out.withBackward(() -> {
            Tensor zero = Tensor.scalar(0f);
            Tensor sign = x.value.gt(zero).sub(x.value.lt(zero));   // 1, 0 or −1
            x.accumulate(out.grad().mul(sign));
        });
    }

    /** y = x². dy/dx = 2x. */
    public static Var square(Var x) {
        Var out = Var.of("square", x.value.square(), x);
        return out.withBackward(() -> x.accumulate(out.grad().mul(x.value).mul(2f)));
    }
}
