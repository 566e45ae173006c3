// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.kernels.MatMul;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The tiled OpenCL matmul against {@code MatMul.matmulScalar}. Tolerance as in MatMulTest: any two
 * ways of summing K products (here: the same order, but with multiply-adds possibly fused by the
 * OpenCL compiler) differ by at most 2·K·u·Σ|a·b| with u = 2^-24, which a wrong index or a lost
 * tile exceeds by orders of magnitude.
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClMatMulTest {

    static void assertMatches(float[] a, float[] b, float[] c0, int M, int N, int K, boolean ta, boolean tb, boolean acc) {
        float[] ref = c0.clone(), got = c0.clone();
        MatMul.matmulScalar(a, 0, b, 0, ref, 0, M, N, K, ta, tb, acc);
        OpenClMatMul.matmul(a, 0, b, 0, got, 0, M, N, K, ta, tb, acc, RequiresOpenCl.device());
        Check.gemmClose("opencl", a, b, c0, ref, got, M, N, K, ta, tb, acc);
    }

    /** Sizes from 1 to 70 cross zero to four tiles with every kind of tail. */
    @Property(tries = 30, seed = "42")
    void matchesScalarReference(@ForAll @IntRange(min = 1, max = 70) int M, @ForAll @IntRange(min = 1, max = 70) int N,
                                @ForAll @IntRange(min = 1, max = 70) int K, @ForAll @IntRange(min = 0, max = 2) int form,
                                @ForAll boolean accumulate, @ForAll long seed) {
        float[] a = Check.normals(seed, M * K), b = Check.normals(seed + 1, K * N), c = Check.normals(seed + 2, M * N);
        assertMatches(a, b, c, M, N, K, form == 1, form == 2, accumulate);
    }

    @Example
    void knownTwoByThreeTimesThreeByFour() {
        float[] a = {1, 2, 3, 4, 5, 6};                                   // [2,3]
        float[] b = {1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 0};                 // [3,4]
        float[] c = new float[8];
        OpenClMatMul.matmul(a, 0, b, 0, c, 0, 2, 4, 3, false, false, false, RequiresOpenCl.device());
        assertArrayEquals(new float[] {4, 5, 3, 3, 10, 11, 6, 9}, c);
    }

    /** x·xᵀ passes one array as A and B, and in place C = C·B passes C as A: both must work. */
    @Example
    void oneArrayInSeveralRoles() {
        int M = 9, K = 20;
        float[] x = Check.normals(4, M * K);
        assertMatches(x, x, new float[M * M], M, M, K, false, true, false);
        float[] c = Check.normals(5, M * M), b = Check.normals(6, M * M), ref = c.clone();
        MatMul.matmulScalar(ref.clone(), 0, b, 0, ref, 0, M, M, M, false, false, false);
        OpenClMatMul.matmul(c, 0, b, 0, c, 0, M, M, M, false, false, false, RequiresOpenCl.device());
        Check.close("C = C·B in place", ref, c, 1e-5f, 1e-5f);
    }

    /** Offsets into larger arrays: the parts of C outside the product must come back untouched. */
    @Example
    void offsetsLeaveTheRestOfCAlone() {
        int M = 17, N = 19, K = 33, off = 5;
        float[] a = Check.normals(1, off + M * K), b = Check.normals(2, off + K * N);
        float[] c = Check.normals(3, 2 * off + M * N), ref = c.clone();
        MatMul.matmulScalar(a, off, b, off, ref, off, M, N, K, false, true, false);
        OpenClMatMul.matmul(a, off, b, off, c, off, M, N, K, false, true, false, RequiresOpenCl.device());
        Check.close("offset matmul", ref, c, 1e-4f, 1e-5f);
        for (int i : new int[] {0, off - 1, off + M * N, c.length - 1})
            assertArrayEquals(new float[] {ref[i]}, new float[] {c[i]}, "outside C at " + i);
    }
}
