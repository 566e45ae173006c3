// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor;

import static org.junit.jupiter.api.Assertions.fail;

/** Test helpers: seeded random arrays and closeness checks whose failure names what differs. */
public final class Check {
    private Check() {}

    /** n floats uniform in [lo, hi), from a seed. */
    public static float[] floats(long seed, int n, float lo, float hi) {
        Rng r = new Rng(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.uniform(lo, hi);
        return x;
    }

    /** n standard-normal floats, from a seed. */
    public static float[] normals(long seed, int n) {
        Rng r = new Rng(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.normal();
        return x;
    }

    /**
     * Fails unless |expected[i] - actual[i]| <= atol + rtol·|expected[i]| for every i (NaN and
     * infinities must match exactly). The message names {@code what}, the index and both values.
     */
    public static void close(String what, float[] expected, float[] actual, float atol, float rtol) {
        if (expected.length != actual.length) fail(what + ": length " + actual.length + ", expected " + expected.length);
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a) || Float.isInfinite(e) || Float.isInfinite(a)) {
                if (Float.compare(e, a) != 0) fail(what + ": at " + i + " expected " + e + " got " + a);
                continue;
            }
            if (Math.abs(e - a) > atol + rtol * Math.abs(e))
                fail(what + ": at " + i + " expected " + e + " got " + a + " (|diff| " + Math.abs(e - a)
                        + " > atol " + atol + " + rtol " + rtol + "·|expected|)");
        }
    }

    /** The largest |a[i]|, for error bounds that scale with the data. */
    public static float maxAbs(float[] a) {
        float m = 0f;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Fails unless the two arrays are bit-for-bit equal. */
    public static void identical(String what, float[] expected, float[] actual) {
        if (expected.length != actual.length) fail(what + ": length " + actual.length + ", expected " + expected.length);
        for (int i = 0; i < expected.length; i++)
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i]))
                fail(what + ": at " + i + " expected " + expected[i] + " got " + actual[i] + " (not bit-identical)");
    }

    /**
     * Fails unless C = op(A)·op(B) (+ c0 when {@code acc}) in {@code got} is within the float bound
     * of {@code ref}: two ways of summing K products differ by at most 2·(K+1)·2^-24·Σ|a·b| (Higham,
     * γ_K), computed in double, which a correct kernel cannot exceed and a wrong index or a dropped
     * tile exceeds by orders of magnitude.
     */
    public static void gemmClose(String what, float[] a, float[] b, float[] c0, float[] ref, float[] got, int M, int N, int K,
                                 boolean ta, boolean tb, boolean acc) {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) {
                double bound = acc ? Math.abs(c0[i * N + j]) : 0;
                for (int k = 0; k < K; k++) {
                    float av = ta ? a[k * M + i] : a[i * K + k], bv = tb ? b[j * K + k] : b[k * N + j];
                    bound += Math.abs((double) av * bv);
                }
                double tol = 2.0 * (K + 1) * Math.ulp(1f) / 2 * bound + 1e-30;
                double d = Math.abs(ref[i * N + j] - got[i * N + j]);
                if (d > tol) fail(what + " " + M + "x" + N + "x" + K + (ta ? " tn" : tb ? " nt" : " nn") + (acc ? " +=" : "")
                        + ": C[" + i + "," + j + "] ref " + ref[i * N + j] + " got " + got[i * N + j] + " (|diff| " + d + " > " + tol + ")");
            }
    }

    /** Largest Euclidean norm of the rows of length D in a (the attention tests' error bound). */
    public static float maxRowNorm(float[] a, int D) {
        double m = 0;
        for (int o = 0; o < a.length; o += D) {
            double s = 0;
            for (int d = 0; d < D; d++) s += (double) a[o + d] * a[o + d];
            m = Math.max(m, Math.sqrt(s));
        }
        return (float) m;
    }
}
