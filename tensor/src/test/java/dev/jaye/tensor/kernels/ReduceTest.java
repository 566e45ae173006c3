// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.kernels.Reduce.Op;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Test;

/** The fast reductions against their references (double accumulation), and known values. */
class ReduceTest {

    /** 2^-24: the unit roundoff of float. */
    private static final double U = 0x1p-24;

    /** A random shape of rank 1-4 (the reduced axis and the last axis up to a few hundred) and axis. */
    private record Case(int outer, int n, int inner, float[] x, String name) {}

    private static Case randomCase(long seed, boolean ties) {
        SplittableRandom r = new SplittableRandom(seed);
        int rank = 1 + r.nextInt(4), axis = r.nextInt(rank);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++)
            shape[d] = d == axis || d == rank - 1 ? 1 + r.nextInt(r.nextBoolean() ? 40 : 300) : 1 + r.nextInt(4);
        int outer = Shape.prod(shape, 0, axis), n = shape[axis], inner = Shape.prod(shape, axis + 1, rank);
        float[] x = new float[Shape.size(shape)];
        float shift = (float) r.nextDouble(-3, 3);
        for (int i = 0; i < x.length; i++) {
            float v = (float) r.nextGaussian() * 2 + shift;
            x[i] = ties ? Math.round(v) : v; // integers: the first of several equal maxima matters
            if (ties && r.nextInt(500) == 0) x[i] = Float.NaN;
        }
        return new Case(outer, n, inner, x, Shape.str(shape) + " axis " + axis);
    }

    /**
     * Runs the LOGSUMEXP kernels on a large array first, so the property below meets compiled
     * code: before compilation the Vector API's EXP is Math lane by lane (what the reference
     * uses), and only the compiled vector math library differs in the last bits.
     */
    @BeforeContainer
    static void warmUp() {
        float[] x = Check.normals(1, 1 << 18), out = new float[1 << 10];
        for (int round = 0; round < 20; round++) {
            Reduce.reduce(Op.LOGSUMEXP, x, 1 << 8, 1 << 10, 1, out);
            Reduce.reduce(Op.LOGSUMEXP, x, 1, 1 << 8, 1 << 10, out);
        }
    }

    @Property(tries = 100, seed = "42")
    void reduceMatchesReference(@ForAll Op op, @ForAll long seed) {
        Case c = randomCase(seed, false);
        int outer = c.outer, n = c.n, inner = c.inner;
        float[] ref = new float[outer * inner], fast = new float[outer * inner];
        Reduce.reduceScalar(op, c.x, outer, n, inner, ref);
        Reduce.reduce(op, c.x, outer, n, inner, fast);
        if (op == Op.MAX) { // max is exact in any order
            Check.identical("MAX " + c.name, ref, fast);
            return;
        }
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                int k = o * inner + i;
                double absSum = 0;
                for (int j = 0; j < n; j++) absSum += Math.abs(c.x[(o * n + j) * inner + i]);
                double tol = tolerance(op, n, absSum, ref[k]);
                if (!(Math.abs(ref[k] - fast[k]) <= tol))
                    fail(op + " " + c.name + " at " + k + ": reference " + ref[k] + ", fast " + fast[k] + ", tolerance " + tol);
            }
    }

    /**
     * How far the float fast version may be from the double reference (u = 2^-24):
     * <ul>
     *   <li>SUM: any summation order of n terms puts each term through ≤ n-1 rounded additions,
     *       so |error| ≤ (n-1)·u·Σ|x|; the reference's one rounding adds u·|sum| ≤ u·Σ|x|.</li>
     *   <li>MEAN: the SUM bound over n, plus the rounding of the division.</li>
     *   <li>VAR: the float mean is off by δ ≤ (n+1)·u·Σ|x|/n; Σ(x - m)² then grows by n·δ² and
     *       is summed with ≤ n+2 roundings per term (the subtraction, the FMA, the additions):
     *       (n+5)·u·var + 2δ².</li>
     *   <li>LOGSUMEXP: s = Σ exp(x - m) ≥ 1 has positive terms, so its relative error is at most
     *       (n-1)·u from the sum, 4u from exp (≤ 2 ulp), and |d|·e^d·u ≤ u/e per term from
     *       rounding d = x - m: about (1.4n + 4)·u, which log turns into an absolute error. Two
     *       more roundings (log, + m) add 2u·|result|. Taken as (2n + 8)·u + 2u·|result|.</li>
     * </ul>
     */
    private static double tolerance(Op op, int n, double absSum, float ref) {
        return switch (op) {
            case SUM -> n * U * absSum;
            case MEAN -> (n + 1) * U * absSum / n + U * Math.abs(ref);
            case VAR -> {
                double delta = (n + 1) * U * absSum / n;
                yield (n + 5) * U * ref + 2 * delta * delta;
            }
            case LOGSUMEXP -> (2 * n + 8) * U + 2 * U * Math.abs(ref);
            case MAX -> 0;
        };
    }

    @Property(tries = 100, seed = "42")
    void argmaxMatchesReference(@ForAll long seed) {
        Case c = randomCase(seed, true);
        int[] ref = new int[c.outer * c.inner], fast = new int[ref.length];
        Reduce.argmaxScalar(c.x, c.outer, c.n, c.inner, ref);
        Reduce.argmax(c.x, c.outer, c.n, c.inner, fast);
        assertArrayEquals(ref, fast, "argmax " + c.name);
    }

    // ---------------------------------------------------------------- known values

    /** Runs the reference and the fast version; both must give {@code expected} (within atol). */
    private static void known(Op op, float[] x, int outer, int n, int inner, float[] expected, float atol) {
        float[] ref = new float[outer * inner], fast = new float[outer * inner];
        Reduce.reduceScalar(op, x, outer, n, inner, ref);
        Reduce.reduce(op, x, outer, n, inner, fast);
        Check.close(op + " reference", expected, ref, atol, 0f);
        Check.close(op + " fast", expected, fast, atol, 0f);
    }

    private static void knownArgmax(float[] x, int outer, int n, int inner, int[] expected) {
        int[] ref = new int[outer * inner], fast = new int[outer * inner];
        Reduce.argmaxScalar(x, outer, n, inner, ref);
        Reduce.argmax(x, outer, n, inner, fast);
        assertArrayEquals(expected, ref, "argmax reference");
        assertArrayEquals(expected, fast, "argmax fast");
    }

    @Test
    void knownSmallArrays() {
        float[] a = {1, 2, 3, 4};
        known(Op.SUM, a, 1, 4, 1, new float[] {10}, 0);
        known(Op.MEAN, a, 1, 4, 1, new float[] {2.5f}, 0);
        known(Op.MAX, a, 1, 4, 1, new float[] {4}, 0);
        known(Op.VAR, a, 1, 4, 1, new float[] {1.25f}, 0); // ((1.5² + 0.5²)·2)/4
        known(Op.LOGSUMEXP, new float[] {0, 0}, 1, 2, 1, new float[] {0.6931472f}, 1e-7f); // ln 2
        // no overflow: exp(1000) is inf in float, the stable form subtracts the max first
        known(Op.LOGSUMEXP, new float[] {1000, 1000}, 1, 2, 1, new float[] {1000.6931472f}, 1e-4f);
        float ninf = Float.NEGATIVE_INFINITY;
        known(Op.LOGSUMEXP, new float[] {ninf, ninf, ninf}, 1, 3, 1, new float[] {ninf}, 0);
        known(Op.LOGSUMEXP, new float[] {ninf, 0, ninf}, 1, 3, 1, new float[] {0}, 0);

        // [[1, 2, 3], [4, 5, 6]]: axis 0 is (outer 1, n 2, inner 3), axis 1 is (outer 2, n 3, inner 1)
        float[] m = {1, 2, 3, 4, 5, 6};
        known(Op.SUM, m, 1, 2, 3, new float[] {5, 7, 9}, 0);
        known(Op.SUM, m, 2, 3, 1, new float[] {6, 15}, 0);
        known(Op.MAX, m, 1, 2, 3, new float[] {4, 5, 6}, 0);
        known(Op.VAR, m, 1, 2, 3, new float[] {2.25f, 2.25f, 2.25f}, 0);
        known(Op.MEAN, m, 2, 3, 1, new float[] {2, 5}, 0);

        knownArgmax(new float[] {1, 3, 3, 2}, 1, 4, 1, new int[] {1}); // the first of two maxima
        knownArgmax(new float[] {1, Float.NaN, 5, Float.NaN}, 1, 4, 1, new int[] {1}); // the first NaN
        knownArgmax(new float[] {-0f, 0f}, 1, 2, 1, new int[] {0}); // +0 is not > -0
        knownArgmax(m, 1, 2, 3, new int[] {1, 1, 1});
        knownArgmax(new float[] {1, 9, 3, 7, 9, 2}, 2, 3, 1, new int[] {1, 1});
    }

    /** Long enough for the vector loops (and both of argmax's passes) to do the work. */
    @Test
    void knownLongArrays() {
        int n = 100;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i + 1;
        known(Op.SUM, x, 1, n, 1, new float[] {5050}, 0); // every partial sum is an exact integer
        known(Op.MEAN, x, 1, n, 1, new float[] {50.5f}, 0);
        known(Op.VAR, x, 1, n, 1, new float[] {833.25f}, 1e-3f); // (n² - 1)/12
        known(Op.MAX, x, 1, n, 1, new float[] {100}, 0);
        x[70] = 100;
        x[99] = 100;
        knownArgmax(x, 1, n, 1, new int[] {70});
        x[85] = Float.NaN;
        knownArgmax(x, 1, n, 1, new int[] {85});
        // the same sum down axis 0 of [n, 20]: inner > 1, one vector of columns and a scalar tail
        float[] cols = new float[n * 20];
        for (int j = 0; j < n; j++) for (int i = 0; i < 20; i++) cols[j * 20 + i] = j + 1;
        float[] sums = new float[20];
        java.util.Arrays.fill(sums, 5050);
        known(Op.SUM, cols, 1, n, 20, sums, 0);
    }

    // ---------------------------------------------------------------- threads

    /**
     * 2048 rows of 1024 (and 2 blocks of 1024 columns over 1024 rows) is 2M elements, twice
     * Parallel.MIN_WORK_PER_THREAD, so 2 threads really split the work. Each output is computed
     * whole by one thread in a fixed order, so the bits must not change.
     *
     * <p>Three rounds, only the last compared: LOGSUMEXP's vector EXP gives Math's result before
     * C2 compiles the kernel and the platform vector math library's after, which can differ in
     * the last bit; a compilation between the two runs is not what this test is about.
     */
    @Test
    void threadCountDoesNotChangeResults() {
        int before = Parallel.threads();
        float[] x = Check.normals(11, 2048 * 1024);
        int[][] shapes = {{2048, 1024, 1}, {2, 1024, 1024}}; // inner == 1, inner > 1
        try {
            for (int[] s : shapes) {
                int outer = s[0], n = s[1], inner = s[2];
                String name = " [" + outer + ", " + n + ", " + inner + "], 1 vs 2 threads";
                for (Op op : Op.values()) {
                    float[] one = new float[outer * inner], two = new float[outer * inner];
                    for (int round = 0; round < 3; round++) {
                        Parallel.setThreads(1);
                        Reduce.reduce(op, x, outer, n, inner, one);
                        Parallel.setThreads(2);
                        Reduce.reduce(op, x, outer, n, inner, two);
                    }
                    Check.identical(op + name, one, two);
                }
                int[] one = new int[outer * inner], two = new int[outer * inner];
                Parallel.setThreads(1);
                Reduce.argmax(x, outer, n, inner, one);
                Parallel.setThreads(2);
                Reduce.argmax(x, outer, n, inner, two);
                assertArrayEquals(one, two, "argmax" + name);
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertEquals(before, Parallel.threads());
    }
}
