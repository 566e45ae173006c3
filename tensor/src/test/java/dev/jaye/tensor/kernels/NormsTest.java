// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Check;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * LayerNorm and RMSNorm against their definitions. Error budget, with u = 2^-24 and C terms per
 * row: any summation order of C terms is within (C-1)·u·Σ|term| of the exact sum, so two orders
 * differ by at most 2C·u·Σ|term|. Through the formulas:
 * <ul>
 *   <li>mean: Δm ≤ 2C·u·mean|x|;</li>
 *   <li>variance (positive terms): relative 2C·u, so rstd (a square root) relative C·u; the shift
 *       Δm changes Σ(x-m)² only to second order, since Σ(x-m) = 0;</li>
 *   <li>out = (x-m)·rstd·w + b: Δ ≤ |w|·(Δm·rstd + |x-m|·rstd·C·u) + a few u of |out|.</li>
 * </ul>
 * The tests compute that bound from the data, so the check stays tight for small C and
 * honest for large |mean| (x = offset + spread·normal, offset up to ±5).
 */
class NormsTest {
    static final float U = 0x1p-24f;

    @Property(tries = 60, seed = "42")
    void layerNormMatchesReference(@ForAll @IntRange(min = 1, max = 5) int rows, @ForAll @IntRange(min = 1, max = 300) int C,
                                   @ForAll @FloatRange(min = -5, max = 5) float offset, @ForAll @FloatRange(min = 0.01f, max = 10) float spread,
                                   @ForAll boolean withBias, @ForAll long seed) {
        float[] x = Check.normals(seed, rows * C);
        for (int i = 0; i < x.length; i++) x[i] = offset + spread * x[i];
        float[] w = Check.floats(seed + 1, C, -2f, 2f), b = withBias ? Check.floats(seed + 2, C, -2f, 2f) : null;
        float eps = 1e-5f;
        float[] ref = new float[x.length], out = new float[x.length];
        float[] mRef = new float[rows], sRef = new float[rows], m = new float[rows], s = new float[rows];
        Norms.layerNormScalar(x, w, b, eps, rows, C, ref, mRef, sRef);
        Norms.layerNorm(x, w, b, eps, rows, C, out, m, s);

        float maxAbsX = Check.maxAbs(x), rstd = Check.maxAbs(sRef);          // bounds mean|x| and rstd of every row
        float dm = 2 * C * U * maxAbsX;
        Check.close("mean C=" + C, mRef, m, dm, 0f);
        Check.close("rstd C=" + C, sRef, s, 0f, (C + 4) * U);
        float nMax = (float) Math.sqrt(C);                       // Σ((x-m)·rstd)² ≤ C bounds each |x-m|·rstd
        float atol = Check.maxAbs(w) * (dm * rstd + nMax * (C + 4) * U) + 8 * U * (2 * nMax + 2);
        Check.close("layerNorm C=" + C, ref, out, atol, 4 * U);
    }

    @Property(tries = 60, seed = "42")
    void rmsNormMatchesReference(@ForAll @IntRange(min = 1, max = 5) int rows, @ForAll @IntRange(min = 1, max = 300) int C,
                                 @ForAll @FloatRange(min = 0.01f, max = 10) float spread, @ForAll long seed) {
        float[] x = Check.normals(seed, rows * C);
        for (int i = 0; i < x.length; i++) x[i] *= spread;
        float[] w = Check.floats(seed + 1, C, -2f, 2f);
        float[] ref = new float[x.length], out = new float[x.length], sRef = new float[rows], s = new float[rows];
        Norms.rmsNormScalar(x, w, 1e-6f, rows, C, ref, sRef);
        Norms.rmsNorm(x, w, 1e-6f, rows, C, out, s);
        // rstd: sum of squares off by 2C·u relative, its square root by C·u; out = x·rstd·w adds
        // two roundings. Everything is relative; atol only guards exact zeros.
        Check.close("rmsNorm rstd C=" + C, sRef, s, 0f, (C + 4) * U);
        Check.close("rmsNorm C=" + C, ref, out, 1e-30f, (C + 4) * U);
    }

    @Test
    void layerNormOfOneTwoThreeFour() {
        // mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25 = 5/4, so with eps = 0
        // out = (x - 2.5)/√(5/4) = (-3, -1, 1, 3)/√5.
        float[] x = {1, 2, 3, 4}, w = {1, 1, 1, 1}, b = {0, 0, 0, 0}, out = new float[4];
        float[] mean = new float[1], rstd = new float[1];
        Norms.layerNorm(x, w, b, 0f, 1, 4, out, mean, rstd);
        Check.close("layerNorm(1,2,3,4)", new float[]{-1.3416408f, -0.4472136f, 0.4472136f, 1.3416408f}, out, 1e-6f, 0f);
        Check.close("mean", new float[]{2.5f}, mean, 0f, 0f);
        Check.close("rstd = 2/√5", new float[]{0.8944272f}, rstd, 1e-7f, 0f);
        Norms.layerNorm(x, w, null, 0f, 1, 4, out, null, null);  // no bias, no stats: same output
        Check.close("layerNorm(1,2,3,4), bias null", new float[]{-1.3416408f, -0.4472136f, 0.4472136f, 1.3416408f}, out, 1e-6f, 0f);
    }

    @Test
    void rmsNormOfThreeFour() {
        // mean of squares (9 + 16)/2 = 12.5, rstd = 1/√12.5; out = (3, 4)/√12.5.
        float[] x = {3, 4}, w = {1, 2}, out = new float[2], rstd = new float[1];
        Norms.rmsNorm(x, w, 0f, 1, 2, out, rstd);
        Check.close("rmsNorm(3,4)", new float[]{0.8485281f, 2 * 1.1313708f}, out, 1e-6f, 0f);
        Check.close("rstd", new float[]{0.28284271f}, rstd, 1e-7f, 0f);
    }
}
