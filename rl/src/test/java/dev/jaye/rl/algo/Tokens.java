// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assertions on token arrays, shared by the algo tests. */
final class Tokens {
    private Tokens() {}

    /** Same rows, same lengths, and every value within {@code tol} of the expected one. */
    static void assertTokens(double[][] expected, float[][] actual, double tol) {
        assertEquals(expected.length, actual.length, "rows");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, "length of row " + i);
            for (int t = 0; t < expected[i].length; t++)
                assertEquals(expected[i][t], actual[i][t], tol, "row " + i + ", token " + t);
        }
    }

    static float[][] copy(float[][] x) {
        float[][] c = new float[x.length][];
        for (int i = 0; i < x.length; i++) c[i] = x[i].clone();
        return c;
    }
}
