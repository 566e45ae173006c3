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
}
