// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.nn;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.NormOps;
import dev.jaye.tensor.Tensor;

/** LayerNorm over the last axis with weight (1) and bias (0), as the ViT uses it. */
public final class LayerNorm extends Module {
    public final Var weight, bias;
    private final float eps;

    public LayerNorm(int dim, double eps) {
        this.weight = param("weight", Tensor.ones(dim));
        this.bias = param("bias", Tensor.zeros(dim));
        this.eps = (float) eps;
    }

    public Var forward(Var x) {
        return NormOps.layerNorm(x, weight, bias, eps);
    }
}
