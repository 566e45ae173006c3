// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.nn;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.MatMulOp;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;

/** y = x·Wᵀ + b with W stored [out, in] (the checkpoint layout); the bias is optional. */
public final class Linear extends Module {
    public final Var weight, bias;

    /** Weights N(0, std²), bias 0 (std 0.02 is the usual GPT-2 style init). */
    public Linear(int in, int out, boolean bias, Rng rng, float std) {
        this.weight = param("weight", Tensor.randn(rng, std, out, in));
        this.bias = bias ? param("bias", Tensor.zeros(out)) : null;
    }

    public Var forward(Var x) {
        return MatMulOp.linear(x, weight, bias);       // (..., in) -> (..., out)
    }
}
