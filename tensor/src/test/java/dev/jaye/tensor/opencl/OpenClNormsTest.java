// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.kernels.Norms;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * LayerNorm and RMSNorm against Norms' definitions; the budget of NormsTest (u = 2^-24, C terms
 * per row), with room for OpenCL's sqrt (3 ulp) and divide (2.5 ulp), which need not be correctly
 * rounded, and for multiply-adds the compiler may fuse:
 * <ul>
 *   <li>mean: the same sum in the same order, then OpenCL's divide: Δm ≤ (2C + 6)·u·max|x|;</li>
 *   <li>rstd: the variance within 2C·u relative, its square root C·u, then sqrt and divide on both
 *       sides ≤ 16u: rtol (C + 16)·u;</li>
 *   <li>out = (x - m)·rstd·w + b: |w|·(Δm·rstd + |x - m|·rstd·(C + 16)·u) plus a few roundings.</li>
 * </ul>
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClNormsTest {
    static final float U = 0x1p-24f;

    @Property(tries = 30, seed = "42")
    void layerNormMatchesReference(@ForAll @IntRange(min = 1, max = 70) int rows, @ForAll @IntRange(min = 1, max = 300) int C,
                                   @ForAll @FloatRange(min = -5, max = 5) float offset, @ForAll @FloatRange(min = 0.01f, max = 10) float spread,
                                   @ForAll boolean withBias, @ForAll boolean withStats, @ForAll long seed) {
        float[] x = Check.normals(seed, rows * C);
        for (int i = 0; i < x.length; i++) x[i] = offset + spread * x[i];
        float[] w = Check.floats(seed + 1, C, -2f, 2f), b = withBias ? Check.floats(seed + 2, C, -2f, 2f) : null;
        float eps = 1e-5f;
        float[] ref = new float[x.length], out = new float[x.length];
        float[] mRef = new float[rows], sRef = new float[rows];
        float[] m = withStats ? new float[rows] : null, s = withStats ? new float[rows] : null;
        Norms.layerNormScalar(x, w, b, eps, rows, C, ref, mRef, sRef);
        OpenClNorms.layerNorm(x, w, b, eps, rows, C, out, m, s, RequiresOpenCl.device());

        float maxAbsX = Check.maxAbs(x), rstd = Check.maxAbs(sRef);
        float dm = (2 * C + 6) * U * maxAbsX;
        if (withStats) {
            Check.close("mean C=" + C, mRef, m, dm, 0f);
            Check.close("rstd C=" + C, sRef, s, 0f, (C + 16) * U);
        }
        float nMax = (float) Math.sqrt(C);                       // Σ((x-m)·rstd)² ≤ C bounds each |x-m|·rstd
        float atol = Check.maxAbs(w) * (dm * rstd + nMax * (C + 16) * U) + 8 * U * (2 * nMax + 2);
        Check.close("layerNorm C=" + C, ref, out, atol, 4 * U);
    }

    @Property(tries = 30, seed = "42")
    void rmsNormMatchesReference(@ForAll @IntRange(min = 1, max = 70) int rows, @ForAll @IntRange(min = 1, max = 300) int C,
                                 @ForAll @FloatRange(min = 0.01f, max = 10) float spread, @ForAll boolean withStats,
                                 @ForAll long seed) {
        float[] x = Check.normals(seed, rows * C);
        for (int i = 0; i < x.length; i++) x[i] *= spread;
        float[] w = Check.floats(seed + 1, C, -2f, 2f);
        float[] ref = new float[x.length], out = new float[x.length], sRef = new float[rows];
        float[] s = withStats ? new float[rows] : null;
        Norms.rmsNormScalar(x, w, 1e-6f, rows, C, ref, sRef);
        OpenClNorms.rmsNorm(x, w, 1e-6f, rows, C, out, s, RequiresOpenCl.device());
        // Everything is relative: the sum of squares within 2C·u, rstd C·u, plus sqrt, divide and
        // the two multiplies of out.
        if (withStats) Check.close("rmsNorm rstd C=" + C, sRef, s, 0f, (C + 16) * U);
        Check.close("rmsNorm C=" + C, ref, out, 1e-30f, (C + 20) * U);
    }
}
