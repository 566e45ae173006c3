// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.Parallel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Softmax against its definition. Tolerances come from the float error of a sum: with unit
 * roundoff u = 2^-24, a sum of n positive terms is off by at most (n-1)·u relative to the exact
 * sum whatever the order (Higham, Accuracy and Stability, §4.2). The reference and the vector
 * version each err that much, in different orders, so they can differ by 2n·u; exp itself
 * (Math.exp vs Softmax.exp, within 2 ulp: checked below) and the final multiply add a few u more.
 */
class SoftmaxTest {
    static final float U = 0x1p-24f;

    /** x of [rows, n] with values spread over ±30 so exponents vary a lot, some of them -inf. */
    static float[] input(long seed, int rows, int n, boolean withMasked) {
        float[] x = Check.normals(seed, rows * n);
        for (int i = 0; i < x.length; i++) x[i] *= 10f;
        if (withMasked) {
            for (int i = 0; i < x.length; i += 3) x[i] = Float.NEGATIVE_INFINITY;   // partly masked rows
            java.util.Arrays.fill(x, 0, n, Float.NEGATIVE_INFINITY);                // row 0 wholly masked
        }
        return x;
    }

    @Property(tries = 60, seed = "42")
    void softmaxMatchesReference(@ForAll @IntRange(min = 1, max = 6) int rows, @ForAll @IntRange(min = 1, max = 300) int n,
                                 @ForAll boolean withMasked, @ForAll long seed) {
        float[] x = input(seed, rows, n, withMasked), ref = new float[x.length], out = new float[x.length];
        Softmax.softmaxScalar(x, ref, rows, n);
        Softmax.softmax(x, out, rows, n);
        // weights are relative quantities: rtol 2n·u + 8u (see class comment); atol only for
        // weights that underflow to subnormals, where relative error means nothing.
        Check.close("softmax n=" + n, ref, out, 1e-37f, (2 * n + 8) * U);
    }

    @Property(tries = 60, seed = "42")
    void logSoftmaxMatchesReference(@ForAll @IntRange(min = 1, max = 6) int rows, @ForAll @IntRange(min = 1, max = 300) int n,
                                    @ForAll boolean withMasked, @ForAll long seed) {
        float[] x = input(seed, rows, n, withMasked), ref = new float[x.length], out = new float[x.length];
        Softmax.logSoftmaxScalar(x, ref, rows, n);
        Softmax.logSoftmax(x, out, rows, n);
        // out = (x - max) - log(sum): a relative error ε of the sum is an absolute error ε of its
        // log, so atol 2n·u + 8u; the last subtraction rounds relative to |out| (values up to ~80).
        Check.close("logSoftmax n=" + n, ref, out, (2 * n + 8) * U, 4 * U);
    }

    @Test
    void knownValues() {
        // softmax(1, 2, 3) = (e^-2, e^-1, 1) / (1 + e^-1 + e^-2)
        float[] x = {1f, 2f, 3f}, out = new float[3];
        Softmax.softmax(x, out, 1, 3);
        Check.close("softmax(1,2,3)", new float[]{0.09003057f, 0.24472847f, 0.66524096f}, out, 1e-7f, 0f);
        Softmax.logSoftmax(x, out, 1, 3);
        Check.close("logSoftmax(1,2,3)", new float[]{-2.40760596f, -1.40760596f, -0.40760596f}, out, 1e-6f, 0f);
    }

    @Test
    void largeValuesAreStable() {
        // exp(1000) overflows float; after subtracting the max it is softmax(-1, 0).
        float[] x = {1000f, 1001f}, out = new float[2];
        Softmax.softmax(x, out, 1, 2);
        Check.close("softmax(1000,1001)", new float[]{0.26894142f, 0.73105858f}, out, 1e-7f, 0f);
        Softmax.logSoftmax(x, out, 1, 2);
        Check.close("logSoftmax(1000,1001)", new float[]{-1.31326169f, -0.31326169f}, out, 1e-6f, 0f);
    }

    @Test
    void allMaskedRowGivesZerosAndMinusInfinity() {
        float ninf = Float.NEGATIVE_INFINITY;
        for (int n : new int[]{3, 40}) {                         // tail only, and whole vectors
            float[] x = new float[n], out = new float[n];
            java.util.Arrays.fill(x, ninf);
            Softmax.softmax(x, out, 1, n);
            Check.identical("softmax of all -inf", new float[n], out);
            Softmax.logSoftmax(x, out, 1, n);
            float[] minf = new float[n];
            java.util.Arrays.fill(minf, ninf);
            Check.identical("logSoftmax of all -inf", minf, out);
        }
        float[] x = new float[40], out = new float[40];
        x[5] = ninf;
        x[37] = ninf;
        Softmax.softmax(x, out, 1, 40);
        assertEquals(0f, out[5]);
        assertEquals(0f, out[37]);
        assertEquals(1f / 38, out[0], 1e-7f);
    }

    @Test
    void sameBitsOnOneOrTwoThreads() {
        int rows = 512, n = 1000;                                // 512·1000·8 ≈ 4M work: splits in two
        float[] x = input(7, rows, n, true), one = new float[x.length], two = new float[x.length];
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Softmax.softmax(x, one, rows, n);
            Parallel.setThreads(2);
            Softmax.softmax(x, two, rows, n);
            Check.identical("softmax 1 vs 2 threads", one, two);
            Parallel.setThreads(1);
            Softmax.logSoftmax(x, one, rows, n);
            Parallel.setThreads(2);
            Softmax.logSoftmax(x, two, rows, n);
            Check.identical("logSoftmax 1 vs 2 threads", one, two);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Property(tries = 40, seed = "42")
    void inPlaceGivesTheSameBits(@ForAll @IntRange(min = 1, max = 70) int n, @ForAll long seed) {
        // Both rows' contracts allow x == out: every pass must read an element before writing it.
        float[] x = input(seed, 1, n, n > 5), soft = new float[n], log = new float[n];
        Softmax.softmaxRow(x, 0, soft, 0, n);
        Softmax.logSoftmaxRow(x, 0, log, 0, n);
        float[] a = x.clone(), b = x.clone();
        Softmax.softmaxRow(a, 0, a, 0, n);
        Softmax.logSoftmaxRow(b, 0, b, 0, n);
        Check.identical("softmax in place", soft, a);
        Check.identical("log-softmax in place", log, b);
    }
}
