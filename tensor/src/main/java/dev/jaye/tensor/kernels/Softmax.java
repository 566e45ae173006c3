// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

/** STUB: softmax and log-softmax along the last axis of x viewed as [rows, n]. */
public final class Softmax {
    private Softmax() {}

    public static void softmaxScalar(float[] x, float[] out, int rows, int n) { throw new UnsupportedOperationException(); }

    public static void softmax(float[] x, float[] out, int rows, int n) { throw new UnsupportedOperationException(); }

    public static void logSoftmaxScalar(float[] x, float[] out, int rows, int n) { throw new UnsupportedOperationException(); }

    public static void logSoftmax(float[] x, float[] out, int rows, int n) { throw new UnsupportedOperationException(); }
}
