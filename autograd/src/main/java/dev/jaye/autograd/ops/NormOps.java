// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.Norms;

/**
 * LayerNorm and RMSNorm over the last axis (rows of C), with fused backwards.
 *
 * <p>Forward saves each row's statistics (mean and rstd = 1/√(var + eps), or rstd alone for
 * RMSNorm): the kernel writes them as a by-product, so backward never recomputes a reduction.
 * Backward is two passes, as in llm.c's layernorm_backward: dx row by row (each row on one
 * thread), then dw and db column by column (each column on one thread, rows added in order), so
 * nothing is shared between threads and the result does not depend on the thread count.
 */
public final class NormOps {
    private NormOps() {}

    /**
     * y = (x − mean)·rstd·w + b over the last axis; b may be null.
     *
     * <p>Backward. Write x̂ = (x − μ)·r for the normalised row (r = rstd) and
     * dx̂ = g ⊙ w (the gradient reaching x̂ through y = x̂·w + b). Then dw = Σ_rows g ⊙ x̂ and
     * db = Σ_rows g. For dx, differentiate x̂_j = (x_j − μ)·r with μ = Σx/C and
     * var = Σ(x − μ)²/C:
     * <pre>
     *   dμ/dx_i = 1/C
     *   dr/dx_i = −½·r³·dvar/dx_i = −½·r³·2(x_i − μ)/C = −r²·x̂_i/C     (Σ(x − μ) = 0 kills the μ term)
     *   dx̂_j/dx_i = r·(δ_ij − 1/C) + (x_j − μ)·dr/dx_i = r·(δ_ij − 1/C − x̂_i·x̂_j/C)
     * </pre>
     * so dx_i = Σ_j dx̂_j·dx̂_j/dx_i is three terms:
     * <pre>
     *   dx_i = r·( dx̂_i                   term 1: straight through the scaling
     *            − mean_j(dx̂_j)           term 2: through the mean
     *            − x̂_i·mean_j(dx̂_j·x̂_j) ) term 3: through the variance
     * </pre>
     */
    public static Var layerNorm(Var x, Var w, Var b, float eps) {
        int C = x.value.dim(-1), rows = Shape.prod(x.shape(), 0, x.value.rank() - 1);
        checkWeight("layerNorm weight", w, C, x);
        if (b != null) checkWeight("layerNorm bias", b, C, x);
        Tensor y = Tensor.zeros(x.shape());
        float[] mean = new float[rows], rstd = new float[rows];
        Norms.layerNorm(x.value.data(), w.value.data(), b == null ? null : b.value.data(), eps, rows, C, y.data(), mean, rstd);
        Var out = b == null ? Var.of("layer_norm", y, x, w) : Var.of("layer_norm", y, x, w, b);
        return out.withBackward(() -> {
            float[] xd = x.value.data(), wd = w.value.data(), g = out.grad().data();
            if (x.needsGrad()) {
                Tensor dx = Tensor.zeros(x.shape());
                float[] d = dx.data();
                Parallel.forRange(rows, 6L * C, (r0, r1) -> {
                    for (int r = r0; r < r1; r++) {
                        int o = r * C;
                        float m = mean[r], s = rstd[r];
                        float dnormMean = 0f, dnormXhatMean = 0f;   // mean(dx̂), mean(dx̂ ⊙ x̂)
                        for (int i = 0; i < C; i++) {
                            float xhat = (xd[o + i] - m) * s, dnorm = g[o + i] * wd[i];
                            dnormMean += dnorm;
                            dnormXhatMean += dnorm * xhat;
                        }
                        dnormMean /= C;
                        dnormXhatMean /= C;
                        for (int i = 0; i < C; i++) {
                            float xhat = (xd[o + i] - m) * s, dnorm = g[o + i] * wd[i];
                            d[o + i] = s * (dnorm - dnormMean - xhat * dnormXhatMean);  // terms 1, 2, 3
                        }
                    }
                });
                x.accumulateFresh(dx);
            }
            boolean wantW = w.needsGrad(), wantB = b != null && b.needsGrad();
            if (wantW || wantB) {
                Tensor dw = Tensor.zeros(C), db = Tensor.zeros(C);
                float[] dwd = dw.data(), dbd = db.data();
                Parallel.forRange(C, 3L * rows, (c0, c1) -> {
                    for (int r = 0; r < rows; r++) {
                        int o = r * C;
                        for (int i = c0; i < c1; i++) {
                            dwd[i] += g[o + i] * (xd[o + i] - mean[r]) * rstd[r];   // g ⊙ x̂
                            dbd[i] += g[o + i];
                        }
                    }
                });
                if (wantW) w.accumulateFresh(dw);
                if (wantB) b.accumulateFresh(db);
            }
        });
    }

    /**
     * y = x·rstd·w over the last axis, rstd = 1/√(mean(x²) + eps): LayerNorm without centring
     * and without bias.
     *
     * <p>Backward. With x̂ = x·r and dx̂ = g ⊙ w as above, dw = Σ_rows g ⊙ x̂, and since
     * dr/dx_i = −½·r³·2x_i/C = −r²·x̂_i/C,
     * <pre>
     *   dx̂_j/dx_i = r·δ_ij + x_j·dr/dx_i = r·(δ_ij − x̂_i·x̂_j/C)
     *   dx_i = r·( dx̂_i − x̂_i·mean_j(dx̂_j·x̂_j) )      LayerNorm's terms 1 and 3 (no mean, no term 2)
     * </pre>
     */
    public static Var rmsNorm(Var x, Var w, float eps) {
        int C = x.value.dim(-1), rows = Shape.prod(x.shape(), 0, x.value.rank() - 1);
        checkWeight("rmsNorm weight", w, C, x);
        Tensor y = Tensor.zeros(x.shape());
        float[] rstd = new float[rows];
        Norms.rmsNorm(x.value.data(), w.value.data(), eps, rows, C, y.data(), rstd);
        Var out = Var.of("rms_norm", y, x, w);
        return out.withBackward(() -> {
            float[] xd = x.value.data(), wd = w.value.data(), g = out.grad().data();
            if (x.needsGrad()) {
                Tensor dx = Tensor.zeros(x.shape());
                float[] d = dx.data();
                Parallel.forRange(rows, 5L * C, (r0, r1) -> {
                    for (int r = r0; r < r1; r++) {
                        int o = r * C;
                        float s = rstd[r], dnormXhatMean = 0f;
                        for (int i = 0; i < C; i++) dnormXhatMean += g[o + i] * wd[i] * xd[o + i] * s;
                        dnormXhatMean /= C;
                        for (int i = 0; i < C; i++) {
                            float xhat = xd[o + i] * s;
                            d[o + i] = s * (g[o + i] * wd[i] - xhat * dnormXhatMean);
                        }
                    }
                });
                x.accumulateFresh(dx);
            }
            if (w.needsGrad()) {
                Tensor dw = Tensor.zeros(C);
                float[] dwd = dw.data();
                Parallel.forRange(C, 2L * rows, (c0, c1) -> {
                    for (int r = 0; r < rows; r++)
                        for (int i = c0; i < c1; i++) dwd[i] += g[r * C + i] * xd[r * C + i] * rstd[r];
                });
                w.accumulateFresh(dw);
            }
        });
    }

    private static void checkWeight(String what, Var p, int C, Var x) {
        int[] s = p.shape();
        if (s.length != 1 || s[0] != C) throw new IllegalArgumentException(
                what + " has shape " + Shape.str(s) + ", input " + Shape.str(x.shape()) + " needs [" + C + "]");
    }
}
