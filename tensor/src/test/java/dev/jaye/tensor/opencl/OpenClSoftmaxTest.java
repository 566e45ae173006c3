// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.kernels.Softmax;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Row softmax and log-softmax against Softmax's definitions. Both sides make the same passes in
 * the same order; they differ by exp (OpenCL may be 3 ulp off, the reference 0.5: ≤ 7u relative
 * with u = 2^-24), by the roundings of the n-term sum that follow (≤ 2n·u) and by OpenCL's divide
 * (2.5 ulp) and log (3 ulp). Hence rtol (2n + 24)·u for weights; for log-weights the relative
 * error of the sum becomes an absolute one, plus 7u·|log sum| ≤ 7u·ln n.
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClSoftmaxTest {
    static final float U = 0x1p-24f;

    /** [rows, n] spread over ±30; with masking, every third entry -inf and row 0 wholly masked. */
    static float[] input(long seed, int rows, int n, boolean masked) {
        float[] x = Check.normals(seed, rows * n);
        for (int i = 0; i < x.length; i++) x[i] *= 10f;
        if (masked) {
            for (int i = 0; i < x.length; i += 3) x[i] = Float.NEGATIVE_INFINITY;
            java.util.Arrays.fill(x, 0, n, Float.NEGATIVE_INFINITY);
        }
        return x;
    }

    @Property(tries = 30, seed = "42")
    void softmaxMatchesReference(@ForAll @IntRange(min = 1, max = 70) int rows, @ForAll @IntRange(min = 1, max = 300) int n,
                                 @ForAll boolean masked, @ForAll long seed) {
        float[] x = input(seed, rows, n, masked), ref = new float[x.length], out = new float[x.length];
        Softmax.softmaxScalar(x, ref, rows, n);
        OpenClSoftmax.softmax(x, out, rows, n, RequiresOpenCl.device());
        Check.close("softmax rows=" + rows + " n=" + n, ref, out, 1e-37f, (2 * n + 24) * U);
    }

    @Property(tries = 30, seed = "42")
    void logSoftmaxMatchesReference(@ForAll @IntRange(min = 1, max = 70) int rows, @ForAll @IntRange(min = 1, max = 300) int n,
                                    @ForAll boolean masked, @ForAll long seed) {
        float[] x = input(seed, rows, n, masked), ref = new float[x.length], out = new float[x.length];
        Softmax.logSoftmaxScalar(x, ref, rows, n);
        OpenClSoftmax.logSoftmax(x, out, rows, n, RequiresOpenCl.device());
        float atol = (float) ((2 * n + 24 + 7 * Math.log(n)) * U);
        Check.close("logSoftmax rows=" + rows + " n=" + n, ref, out, atol, 4 * U);
    }

    @Example
    void largeValuesAreStableAndInPlaceWorks() {
        float[] x = {1000f, 1001f};
        OpenClSoftmax.softmax(x, x, 1, 2, RequiresOpenCl.device());
        Check.close("softmax(1000,1001) in place", new float[] {0.26894142f, 0.73105858f}, x, 1e-7f, 0f);
    }
}
