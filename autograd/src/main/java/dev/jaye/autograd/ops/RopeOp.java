// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.Rope;

/**
 * Rotary position embedding as a differentiable op.
 *
 * <p>Forward turns each pair (x_i, x_{i+D/2}) of every head by its angle θ: y = R(θ)·x, a
 * rotation, which is linear in x. The backward of y = R·x is dx = Rᵀ·dy, and a rotation's
 * transpose is the rotation by −θ. So backward is the same kernel with {@code inverse} on,
 * applied to the gradient: no saved activations, no new math.
 */
public final class RopeOp {
    private RopeOp() {}

    /** x [B, H, T, D] (D even); pos holds T positions (shared by the batch) or B·T (one row per sequence). */
    public static Var rope(Var x, int[] pos, float theta) {
        int[] p = pos.clone();                                   // backward runs later: keep our own copy
        Var out = Var.of("rope", x.value.rope(p, theta), x);     // checks the shape and pos
        return out.withBackward(() -> {
            int[] s = x.shape();
            Tensor dx = Tensor.zeros(s);
            Rope.rope(out.grad().data(), dx.data(), s[0], s[1], s[2], s[3], p, theta, true);   // dx = R(−θ)·dy
            x.accumulateFresh(dx);
        });
    }
}
