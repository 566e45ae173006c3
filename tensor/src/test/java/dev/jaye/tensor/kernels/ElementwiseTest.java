// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.kernels.Elementwise.Binary;
import dev.jaye.tensor.kernels.Elementwise.Unary;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Test;

/** The fast element-wise kernels against their scalar references, and known values of the references. */
class ElementwiseTest {

    /** 2^-24: half an ulp of 1, the unit roundoff of float. */
    private static final float U = 0x1p-24f;

    /**
     * Runs every unary op and pow on a large array first, so that the properties below meet the
     * JIT-compiled kernels: before compilation, the Vector API computes EXP, LOG, TANH and POW
     * lane by lane with Math (equal to the reference), and only compiled code calls the vector
     * math library whose last bits differ, which is what the tolerances are for.
     */
    @BeforeContainer
    static void warmUp() {
        float[] x = Check.normals(1, 1 << 18), out = new float[x.length];
        for (int round = 0; round < 20; round++) {
            for (Unary op : Unary.values()) Elementwise.unary(op, x, 0, out, 0, x.length);
            Elementwise.pow(x, 1.5f, out, x.length);
        }
    }

    // ---------------------------------------------------------------- unary

    @Property(tries = 100, seed = "42")
    void unaryMatchesReference(@ForAll Unary op, @ForAll @IntRange(min = 1, max = 300) int n,
                               @ForAll @IntRange(min = 0, max = 3) int off, @ForAll long seed) {
        float[] x = Check.normals(seed, n + off);
        for (int i = 0; i < x.length; i++) x[i] *= 4f; // up to ~±18: exp, tanh and sigmoid saturate, gelu cancels
        float[] ref = new float[n + 1], fast = new float[n + 1];
        Elementwise.unaryScalar(op, x, off, ref, 1, n);
        Elementwise.unary(op, x, off, fast, 1, n);
        String what = op + " n=" + n;
        switch (op) {
            // One IEEE operation (or a fixed sequence of them) per element: the same bits.
            case NEG, SQRT, RSQRT, RELU, ABS, SQUARE -> Check.identical(what, ref, fast);
            // The vector EXP/LOG/TANH are promised within 1 ulp (= 2u relative) of the exact
            // value; the reference is Math in double rounded once (≤ 1 ulp too). Sigmoid and SiLU
            // add 1 and divide, which does not amplify relative error (1/(1+e) has condition
            // number e/(1+e) ≤ 1). So ≤ ~4 ulp: rtol 1e-6 (≈ 8 ulp). The tiny atol covers
            // subnormal results, whose ulp is absolute.
            case EXP, LOG, TANH, SIGMOID, SILU -> Check.close(what, ref, fast, 1e-37f, 1e-6f);
            // GELU = 0.5·x·(1 + t): as t → -1 the sum cancels, so relative error is no bound. Each
            // side's tanh is within ~1 ulp (2^-24 for 0.5 ≤ |t| < 1): 1 + t differs by ≤ 2^-23
            // absolute, times 0.5·|x| ≤ 9 gives ≤ 1.1e-6. atol 4e-6 leaves room for the roundings.
            case GELU -> Check.close(what, ref, fast, 4e-6f, 1e-6f);
        }
    }

    @Test
    void unaryKnownValues() {
        // 37 elements so the vector body and the scalar tail both see the special values.
        float[] x = new float[37];
        float[][] cases = { // x, gelu, sigmoid, silu
                {0f, 0f, 0.5f, 0f},
                {1f, 0.8411920f, 0.7310586f, 0.7310586f},
                {-1f, -0.15880801f, 0.26894143f, -0.26894143f},
                {100f, 100f, 1f, 100f},
        };
        for (boolean vectorPart : new boolean[] {true, false}) {
            int at = vectorPart ? 3 : 36; // loopBound(37) ≤ 36 for any L ≥ 2: index 36 is always tail
            for (float[] c : cases) {
                x[at] = c[0];
                for (boolean fast : new boolean[] {false, true}) {
                    assertEquals(c[1], run(Unary.GELU, x, fast)[at], 2e-7f, "gelu(" + c[0] + ")");
                    assertEquals(c[2], run(Unary.SIGMOID, x, fast)[at], 2e-7f, "sigmoid(" + c[0] + ")");
                    assertEquals(c[3], run(Unary.SILU, x, fast)[at], 2e-7f * Math.max(1, Math.abs(c[3])), "silu(" + c[0] + ")");
                }
            }
            // The naive e^x/(1+e^x) is inf/inf = NaN at x = 100; ours must stay in [0, 1].
            for (float big : new float[] {100f, -100f, Float.MAX_VALUE, -Float.MAX_VALUE}) {
                x[at] = big;
                for (boolean fast : new boolean[] {false, true}) {
                    float s = run(Unary.SIGMOID, x, fast)[at], si = run(Unary.SILU, x, fast)[at];
                    assertTrue(s >= 0f && s <= 1f, "sigmoid(" + big + ") = " + s);
                    assertTrue(!Float.isNaN(si), "silu(" + big + ") = " + si);
                    assertTrue(!Float.isNaN(run(Unary.GELU, x, fast)[at]), "gelu(" + big + ")");
                }
            }
            x[at] = -3f;
            for (boolean fast : new boolean[] {false, true}) {
                assertEquals(0f, run(Unary.RELU, x, fast)[at]);
                assertEquals(9f, run(Unary.SQUARE, x, fast)[at]);
                assertEquals(3f, run(Unary.ABS, x, fast)[at]);
            }
            x[at] = 4f;
            for (boolean fast : new boolean[] {false, true}) assertEquals(0.5f, run(Unary.RSQRT, x, fast)[at]);
        }
    }

    private static float[] run(Unary op, float[] x, boolean fast) {
        float[] out = new float[x.length];
        if (fast) Elementwise.unary(op, x, 0, out, 0, x.length);
        else Elementwise.unaryScalar(op, x, 0, out, 0, x.length);
        return out;
    }

    @Property(tries = 100, seed = "42")
    void powMatchesReference(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 0, max = 6) int pi,
                             @ForAll long seed) {
        float p = new float[] {2f, 3f, -1f, 0.5f, 1.5f, -0.5f, 0f}[pi];
        boolean integral = p == Math.rint(p);
        // negative bases only where the power is defined (integral p); elsewhere both give NaN anyway
        float[] x = Check.floats(seed, n, integral ? -4f : 0.01f, 4f);
        float[] ref = new float[n], fast = new float[n];
        Elementwise.powScalar(x, p, ref, n);
        Elementwise.pow(x, p, fast, n);
        // vector POW is promised within 1 ulp, Math.pow in double rounded once ≤ 1 ulp: rtol 1e-6 (≈ 8 ulp)
        Check.close("pow " + p + " n=" + n, ref, fast, 0f, 1e-6f);
    }

    @Test
    void powKnownValues() {
        float[] x = {2f, -3f, 4f, 0f}, out = new float[4];
        Elementwise.pow(x, 2f, out, 4);
        assertArrayEquals(new float[] {4f, 9f, 16f, 0f}, out);
        Elementwise.powScalar(x, 3f, out, 4);
        assertArrayEquals(new float[] {8f, -27f, 64f, 0f}, out);
    }

    // ---------------------------------------------------------------- binary

    /**
     * Random broadcasting: an output shape of rank 0-4 (the last axis long enough to cross vector
     * boundaries), then each operand keeps a suffix of it with some axes set to 1. Binary ops are
     * exact IEEE operations, so the fast version must give the same bits. Values are quantised
     * to halves (so comparisons see ties) and sprinkled with NaN and -0.
     */
    @Property(tries = 100, seed = "42")
    void binaryMatchesReference(@ForAll Binary op, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int rank = r.nextInt(5);
        int[] full = new int[rank];
        for (int d = 0; d < rank; d++) full[d] = d == rank - 1 ? 1 + r.nextInt(70) : 1 + r.nextInt(5);
        int[] as = operandShape(full, r), bs = operandShape(full, r);
        int[] os = Shape.broadcast(as, bs);
        float[] a = values(r, Shape.size(as)), b = values(r, Shape.size(bs));
        float[] ref = new float[Shape.size(os)], fast = new float[ref.length];
        Elementwise.binaryScalar(op, a, as, b, bs, ref, os);
        Elementwise.binary(op, a, as, b, bs, fast, os);
        Check.identical(op + " " + Shape.str(as) + " " + Shape.str(bs), ref, fast);
    }

    /** A suffix of {@code full} (maybe shorter: NumPy aligns on the right) with some axes made 1. */
    private static int[] operandShape(int[] full, SplittableRandom r) {
        int drop = r.nextInt(4) == 0 ? r.nextInt(full.length + 1) : 0;
        int[] s = Arrays.copyOfRange(full, drop, full.length);
        for (int d = 0; d < s.length; d++) if (r.nextInt(3) == 0) s[d] = 1;
        return s;
    }

    private static float[] values(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(40);
            v[i] = k == 0 ? Float.NaN : k == 1 ? -0f : Math.round(r.nextGaussian() * 4) / 2f;
        }
        return v;
    }

    @Test
    void binaryKnownValues() {
        float[] m = {1, 2, 3, 4, 5, 6}; // [2, 3]
        float[] v = {10, 20, 30};       // [3]
        float[] col = {100, 200};       // [2, 1]
        for (boolean fast : new boolean[] {false, true}) {
            assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36},
                    bin(fast, Binary.ADD, m, new int[] {2, 3}, v, new int[] {3}, new int[] {2, 3}), "[2,3] + [3]");
            assertArrayEquals(new float[] {9, 18, 27, 6, 15, 24},
                    bin(fast, Binary.SUB, v, new int[] {3}, m, new int[] {2, 3}, new int[] {2, 3}), "[3] - [2,3]");
            assertArrayEquals(new float[] {1000, 2000, 3000, 2000, 4000, 6000},
                    bin(fast, Binary.MUL, col, new int[] {2, 1}, v, new int[] {1, 3}, new int[] {2, 3}), "[2,1] * [1,3]");
            // rank 0: that is how x.add(2f) runs
            assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8},
                    bin(fast, Binary.ADD, m, new int[] {2, 3}, new float[] {2}, new int[0], new int[] {2, 3}), "[2,3] + []");
            assertArrayEquals(new float[] {0.5f},
                    bin(fast, Binary.DIV, new float[] {1}, new int[0], new float[] {2}, new int[0], new int[0]), "[] / []");
            assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1},
                    bin(fast, Binary.GE, m, new int[] {2, 3}, new float[] {3}, new int[0], new int[] {2, 3}), "[2,3] >= 3");
            float nan = Float.NaN;
            float[] x = {nan, 1, -0f, 2}, y = {nan, 1, 0f, 3};
            int[] s = {4};
            assertArrayEquals(new float[] {0, 1, 1, 0}, bin(fast, Binary.EQ, x, s, y, s, s), "==, NaN != NaN");
            assertArrayEquals(new float[] {1, 0, 0, 1}, bin(fast, Binary.NE, x, s, y, s, s), "!=");
            assertArrayEquals(new float[] {0, 0, 0, 1}, bin(fast, Binary.LT, x, s, y, s, s), "<");
            assertArrayEquals(new float[] {nan, 1, 0f, 3}, bin(fast, Binary.MAX, x, s, y, s, s), "max: NaN wins, +0 > -0");
            assertArrayEquals(new float[] {nan, 1, -0f, 2}, bin(fast, Binary.MIN, x, s, y, s, s), "min");
        }
    }

    private static float[] bin(boolean fast, Binary op, float[] a, int[] as, float[] b, int[] bs, int[] os) {
        float[] out = new float[Shape.size(os)];
        if (fast) Elementwise.binary(op, a, as, b, bs, out, os);
        else Elementwise.binaryScalar(op, a, as, b, bs, out, os);
        return out;
    }

    // ---------------------------------------------------------------- threads

    /**
     * Work large enough that Parallel splits it across 2 threads (well over 2·MIN_WORK_PER_THREAD)
     * must give the same bits as on 1 thread: chunk boundaries are multiples of the vector length,
     * so no element changes path (vector body or scalar tail) with the thread count.
     *
     * <p>Three rounds, and only the last is compared: before C2 compiles the kernel, the Vector
     * API's fallback computes TANH (and EXP, LOG, POW) lane by lane with Math, and compiled code
     * uses the platform's vector math library, which can differ in the last bit. A compilation
     * finishing between the 1-thread and the 2-thread run would show up here as a false failure.
     */
    @Test
    void threadCountDoesNotChangeResults() {
        int before = Parallel.threads();
        int rows = 1024, cols = 2048 + 3, n = rows * cols;
        float[] x = Check.normals(7, n), y = Check.normals(8, cols);
        int[] xs = {rows, cols}, ys = {cols};
        float[][] one = new float[3][n], two = new float[3][n];
        try {
            for (int round = 0; round < 3; round++)
                for (int t = 1; t <= 2; t++) {
                    Parallel.setThreads(t);
                    float[][] o = t == 1 ? one : two;
                    Elementwise.unary(Unary.GELU, x, 0, o[0], 0, n);
                    Elementwise.binary(Binary.ADD, x, xs, y, ys, o[1], xs);
                    Elementwise.pow(x, 1.5f, o[2], n);
                }
        } finally {
            Parallel.setThreads(before);
        }
        Check.identical("gelu, 1 vs 2 threads", one[0], two[0]);
        Check.identical("add, 1 vs 2 threads", one[1], two[1]);
        Check.identical("pow, 1 vs 2 threads", one[2], two[2]);
    }
}
