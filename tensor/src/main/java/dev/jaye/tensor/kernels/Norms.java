// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.OpenClNorms;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * LayerNorm and RMSNorm forward over the last axis of x viewed as [rows, C]. The per-row
 * statistics are written out (when the arrays are not null) because backward needs them, as in
 * llm.c's layernorm_forward: backward then never recomputes a mean.
 *
 * <p>LayerNorm: mean = Σx/C, var = Σ(x - mean)²/C (the population variance, as PyTorch's forward
 * uses), rstd = 1/√(var + eps), out = (x - mean)·rstd·w + b. The variance is taken in a second
 * pass over x - mean rather than as E[x²] - mean², which cancels catastrophically when |mean| is
 * large against the spread. RMSNorm skips the centring: rstd = 1/√(Σx²/C + eps), out = x·rstd·w.
 *
 * <p>The fast versions make the same passes with vector accumulators, reduced once per row, and
 * use one fused multiply-add for ·w + b: sums are added in another order, so results agree with
 * the reference to a few ulp, not bit for bit. One row is one thread's work. A row's sums keep
 * {@link Simd#W} partial sums ({@link Simd#sum}, {@link Simd#sumSquaredDeviations}), not one vector
 * reduced with reduceLanes(ADD), whose order changes when the JIT compiles the loop (see Softmax)
 * and whose split into lanes would change with the vector width: the same input gives the same
 * bits on the first call and the thousandth, on any CPU.
 */
public final class Norms {
    private Norms() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    // ---------------------------------------------------------------- the definition

    /** out = (x - mean) · rstd · w + b, rstd = 1/sqrt(var + eps); b may be null. */
    public static void layerNormScalar(float[] x, float[] w, float[] b, float eps, int rows, int C, float[] out, float[] mean, float[] rstd) {
        for (int r = 0; r < rows; r++) {
            int o = r * C;
            float m = 0f;
            for (int i = 0; i < C; i++) m += x[o + i];
            m /= C;
            float v = 0f;
            for (int i = 0; i < C; i++) {
                float d = x[o + i] - m;
                v += d * d;
            }
            v /= C;
            float s = 1f / (float) Math.sqrt(v + eps);
            for (int i = 0; i < C; i++) {
                float n = (x[o + i] - m) * s;                    // normalised: mean 0, variance 1
                out[o + i] = b == null ? n * w[i] : n * w[i] + b[i];
            }
            if (mean != null) mean[r] = m;
            if (rstd != null) rstd[r] = s;
        }
    }

    /** out = x · rstd · w, rstd = 1/sqrt(mean(x²) + eps). */
    public static void rmsNormScalar(float[] x, float[] w, float eps, int rows, int C, float[] out, float[] rstd) {
        for (int r = 0; r < rows; r++) {
            int o = r * C;
            float ss = 0f;
            for (int i = 0; i < C; i++) ss += x[o + i] * x[o + i];
            float s = 1f / (float) Math.sqrt(ss / C + eps);
            for (int i = 0; i < C; i++) out[o + i] = x[o + i] * s * w[i];
            if (rstd != null) rstd[r] = s;
        }
    }

    // ---------------------------------------------------------------- fast versions

    public static void layerNorm(float[] x, float[] w, float[] b, float eps, int rows, int C, float[] out, float[] mean, float[] rstd) {
        if (Backend.offload("layer_norm", (long) rows * C)
                && Backend.ran("layer_norm", d -> OpenClNorms.layerNorm(x, w, b, eps, rows, C, out, mean, rstd, d))) return;
        if (!Simd.ENABLED) {
            layerNormScalar(x, w, b, eps, rows, C, out, mean, rstd);
            return;
        }
        Parallel.forRange(rows, (long) Parallel.ELEMENT_WORK * C, (r0, r1) -> {
            for (int r = r0; r < r1; r++) layerNormRow(x, w, b, eps, r, C, out, mean, rstd);
        });
    }

    public static void rmsNorm(float[] x, float[] w, float eps, int rows, int C, float[] out, float[] rstd) {
        if (Backend.offload("rms_norm", (long) rows * C)
                && Backend.ran("rms_norm", d -> OpenClNorms.rmsNorm(x, w, eps, rows, C, out, rstd, d))) return;
        if (!Simd.ENABLED) {
            rmsNormScalar(x, w, eps, rows, C, out, rstd);
            return;
        }
        Parallel.forRange(rows, (long) Parallel.ELEMENT_WORK * C, (r0, r1) -> {
            for (int r = r0; r < r1; r++) rmsNormRow(x, w, eps, r, C, out, rstd);
        });
    }

    /** One LayerNorm row: three passes (sum, squared deviations, output). */
    private static void layerNormRow(float[] x, float[] w, float[] b, float eps, int r, int C, float[] out, float[] mean, float[] rstd) {
        int o = r * C, bound = F.loopBound(C), i;
        float m = Simd.sum(x, o, C) / C;
        float s = 1f / (float) Math.sqrt(Simd.sumSquaredDeviations(x, o, C, m) / C + eps);

        FloatVector vm = FloatVector.broadcast(F, m);
        for (i = 0; i < bound; i += L) {
            FloatVector n = FloatVector.fromArray(F, x, o + i).sub(vm).mul(s);
            FloatVector wv = FloatVector.fromArray(F, w, i);
            (b == null ? n.mul(wv) : n.fma(wv, FloatVector.fromArray(F, b, i))).intoArray(out, o + i);
        }
        for (; i < C; i++) {                                     // the tail: a lane's operations, fma included
            float n = (x[o + i] - m) * s;
            out[o + i] = b == null ? n * w[i] : Math.fma(n, w[i], b[i]);
        }
        if (mean != null) mean[r] = m;
        if (rstd != null) rstd[r] = s;
    }

    /** One RMSNorm row: sum of squares, then the scaled output. */
    private static void rmsNormRow(float[] x, float[] w, float eps, int r, int C, float[] out, float[] rstd) {
        int o = r * C, bound = F.loopBound(C), i;
        float s = 1f / (float) Math.sqrt(Simd.sumSquaredDeviations(x, o, C, 0f) / C + eps);   // Σ x²

        for (i = 0; i < bound; i += L)
            FloatVector.fromArray(F, x, o + i).mul(s).mul(FloatVector.fromArray(F, w, i)).intoArray(out, o + i);
        for (; i < C; i++) out[o + i] = x[o + i] * s * w[i];
        if (rstd != null) rstd[r] = s;
    }
}
