// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

/** STUB: element-wise unary and broadcasting binary ops (scalar reference + Vector API). */
public final class Elementwise {
    private Elementwise() {}

    /** Unary ops. GELU is the tanh form of tiny-vlm.md. */
    public enum Unary { NEG, EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, RELU, GELU, SILU, ABS, SQUARE }

    /** Binary ops; comparisons give 1 for true and 0 for false. */
    public enum Binary { ADD, SUB, MUL, DIV, MAX, MIN, EQ, NE, LT, LE, GT, GE }

    /** The definition of each unary op on one value. */
    public static float unaryScalar(Unary op, float x) { throw new UnsupportedOperationException(); }

    /** out[outOff + i] = op(x[xOff + i]) for i in [0, n): the reference loop. */
    public static void unaryScalar(Unary op, float[] x, int xOff, float[] out, int outOff, int n) { throw new UnsupportedOperationException(); }

    /** Same as {@link #unaryScalar(Unary, float[], int, float[], int, int)}, Vector API, multithreaded when large. */
    public static void unary(Unary op, float[] x, int xOff, float[] out, int outOff, int n) { throw new UnsupportedOperationException(); }

    /** out[i] = x[i]^p: reference. */
    public static void powScalar(float[] x, float p, float[] out, int n) { throw new UnsupportedOperationException(); }

    /** out[i] = x[i]^p: fast version. */
    public static void pow(float[] x, float p, float[] out, int n) { throw new UnsupportedOperationException(); }

    /** The definition of each binary op on one pair of values. */
    public static float binaryScalar(Binary op, float a, float b) { throw new UnsupportedOperationException(); }

    /**
     * out = op(a, b) with NumPy broadcasting: {@code outShape} is the broadcast of {@code aShape}
     * and {@code bShape} (checked by the caller). Reference: one element at a time.
     */
    public static void binaryScalar(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) { throw new UnsupportedOperationException(); }

    /** Same as {@link #binaryScalar(Binary, float[], int[], float[], int[], float[], int[])}, Vector API along contiguous runs. */
    public static void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) { throw new UnsupportedOperationException(); }
}
