// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Simd's exp, log and tanh against Math, over dense sweeps, random values and special values. */
class SimdTest {
    private static final int L = Simd.F.length();

    /** Applies the vector function to every value, one vector at a time (x.length padded to L). */
    private static float[] apply(UnaryOperator<FloatVector> f, float[] x) {
        int n = (x.length + L - 1) / L * L;
        float[] in = java.util.Arrays.copyOf(x, n), out = new float[n];
        for (int i = 0; i < n; i += L) f.apply(FloatVector.fromArray(Simd.F, in, i)).intoArray(out, i);
        return java.util.Arrays.copyOf(out, x.length);
    }

    /** Fails unless every value is within {@code ulps} ulp of the double-precision truth, or {@code atol}. */
    private static void within(String name, UnaryOperator<FloatVector> f, DoubleUnaryOperator truth, float[] x, int ulps, double atol) {
        float[] got = apply(f, x);
        for (int i = 0; i < x.length; i++) {
            float want = (float) truth.applyAsDouble(x[i]);
            if (Math.abs(got[i] - want) > ulps * Math.ulp(want) + atol)
                fail(name + "(" + x[i] + ") = " + got[i] + ", Math gives " + want + " (more than " + ulps + " ulp apart)");
        }
    }

    private static float[] sweep(float lo, float hi, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * i / (n - 1);
        return x;
    }

    // Cephes documents ~1 ulp (exp, log) and ~2 ulp (tanh) for these polynomials; 2 and 3 ulp
    // leave room for float rounding in the range reduction without hiding a wrong coefficient,
    // which shows up as hundreds of ulp.
    @Test
    void expIsWithinTwoUlpWhereTheResultIsNormal() {
        within("exp", Simd::exp, Math::exp, sweep(-87.3f, 88.7f, 1 << 16), 2, 0);
    }

    @Test
    void logIsWithinTwoUlpFromSubnormalsToMax() {
        within("log", Simd::log, Math::log, sweep(1e-3f, 10f, 1 << 15), 2, 0);
        within("log", Simd::log, Math::log, sweep(10f, 1e6f, 1 << 14), 2, 0);
        within("log", Simd::log, Math::log, new float[]{Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, 1e-30f, 1f, Float.MAX_VALUE}, 2, 0);
    }

    // Near 0 tanh x ≈ x: the relative bound (3 ulp) is what matters; for |x| ≥ 0.625 the result is
    // at least 0.55, where 3 ulp of the result is also the right absolute scale.
    @Test
    void tanhIsWithinThreeUlp() {
        within("tanh", Simd::tanh, Math::tanh, sweep(-10f, 10f, 1 << 16), 3, 0);
        within("tanh", Simd::tanh, Math::tanh, sweep(-1e-3f, 1e-3f, 4096), 3, 0);
    }

    @Property(tries = 300, seed = "42")
    void randomValuesStayWithinTheirBounds(@ForAll @FloatRange(min = -80f, max = 80f) float x) {
        within("exp", Simd::exp, Math::exp, new float[]{x}, 2, 0);
        within("tanh", Simd::tanh, Math::tanh, new float[]{x}, 3, 0);
        float p = Math.abs(x) + 1e-6f;
        within("log", Simd::log, Math::log, new float[]{p}, 2, 0);
    }

    @Test
    void specialValues() {
        float inf = Float.POSITIVE_INFINITY, nan = Float.NaN;
        float[] e = apply(Simd::exp, new float[]{Float.NEGATIVE_INFINITY, -100f, 0f, 100f, inf, nan});
        assertEquals(0f, e[0]);
        assertEquals(0f, e[1]);                       // subnormal results are flushed to 0
        assertEquals(1f, e[2]);
        assertEquals(inf, e[3]);
        assertEquals(inf, e[4]);
        assertTrue(Float.isNaN(e[5]));
        float[] l = apply(Simd::log, new float[]{0f, -0f, -1f, inf, nan, 1f});
        assertEquals(Float.NEGATIVE_INFINITY, l[0]);
        assertEquals(Float.NEGATIVE_INFINITY, l[1]);
        assertTrue(Float.isNaN(l[2]));
        assertEquals(inf, l[3]);
        assertTrue(Float.isNaN(l[4]));
        assertEquals(0f, l[5]);
        float[] t = apply(Simd::tanh, new float[]{-100f, 100f, 0f, -0f, nan, inf});
        assertEquals(-1f, t[0]);
        assertEquals(1f, t[1]);
        assertEquals(0f, t[2]);
        assertTrue(Float.isNaN(t[4]));
        assertEquals(1f, t[5]);
    }

    @Test
    void partialSumsAreAddedInIndexOrder() {
        assertEquals(16, Simd.W);
        float[] part = new float[Simd.W];
        for (int p = 0; p < Simd.W; p++) part[p] = p == 0 ? 1e8f : 1f;   // in order: 1e8 + 1 + 1 ... each 1 is lost
        float want = 0f;
        for (float v : part) want += v;
        assertEquals(want, Simd.sumPartials(part));
        assertEquals(1e8f, want);
    }

    @Property(tries = 200)
    void sumsAreTheirDefinitionInSixteenPartials(@ForAll @IntRange(min = 0, max = 80) int n, @ForAll long seed) {
        // The definition, written out: element i into partial i % 16 in order, then the partials
        // in order. The kernels' sums must be it to the bit at this CPU's width (WidthTest runs
        // them at the others).
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[n + 3], y = new float[n + 5];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * Math.exp(r.nextInt(-8, 8)));
        for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian();
        float m = (float) r.nextGaussian();
        float[] sum = new float[16], sq = new float[16], dot = new float[16];
        for (int i = 0; i < n; i++) {
            sum[i % 16] += x[3 + i];
            float d = x[3 + i] - m;
            sq[i % 16] = Math.fma(d, d, sq[i % 16]);
            dot[i % 16] = Math.fma(x[3 + i], y[5 + i], dot[i % 16]);
        }
        assertEquals(inOrder(sum), Simd.sum(x, 3, n));
        assertEquals(inOrder(sq), Simd.sumSquaredDeviations(x, 3, n, m));
        assertEquals(inOrder(dot), Simd.dot(x, 3, y, 5, n));
        // Σ exp(x - m): each term is Simd.exp's (the element-wise EXP gives its bits, tail included)
        float[] shifted = new float[n], e = new float[n], ex = new float[16];
        for (int i = 0; i < n; i++) shifted[i] = x[3 + i] - m;
        Elementwise.unary(Elementwise.Unary.EXP, shifted, 0, e, 0, n);
        for (int i = 0; i < n; i++) ex[i % 16] += e[i];
        assertEquals(inOrder(ex), Simd.sumExp(x, 3, n, m));
    }

    private static float inOrder(float[] part) {
        float s = 0f;
        for (float v : part) s += v;
        return s;
    }
}
