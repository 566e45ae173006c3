// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.nn;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.NormOps;
import dev.jaye.tensor.Tensor;

/** RMSNorm over the last axis with a weight (1) and no bias, as the language model uses it. */
public final class RmsNorm extends Module {
    public final Var weight;
    private final float eps;

    public RmsNorm(int dim, double eps) {
        this.weight = param("weight", Tensor.ones(dim));
        this.eps = (float) eps;
    }

    public Var forward(Var x) {
        return NormOps.rmsNorm(x, weight, eps);
    }
}
