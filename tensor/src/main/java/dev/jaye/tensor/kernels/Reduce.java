// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

/**
 * STUB: reductions along one axis. The input is viewed as [outer, n, inner] (n = the reduced
 * axis) and the output is [outer, inner].
 */
public final class Reduce {
    private Reduce() {}

    /** VAR is the population variance (divide by n), as LayerNorm uses it. */
    public enum Op { SUM, MEAN, MAX, VAR, LOGSUMEXP }

    public static void reduceScalar(Op op, float[] x, int outer, int n, int inner, float[] out) { throw new UnsupportedOperationException(); }

    public static void reduce(Op op, float[] x, int outer, int n, int inner, float[] out) { throw new UnsupportedOperationException(); }

    /** Index of the first maximum along n. */
    public static void argmaxScalar(float[] x, int outer, int n, int inner, int[] out) { throw new UnsupportedOperationException(); }

    public static void argmax(float[] x, int outer, int n, int inner, int[] out) { throw new UnsupportedOperationException(); }
}
