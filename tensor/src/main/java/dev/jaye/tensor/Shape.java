// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor;

import java.util.Arrays;

/**
 * Shape arithmetic on plain {@code int[]} shapes: sizes, row-major strides, axis checks and NumPy
 * broadcasting. Every error names the shapes or the axis at fault.
 */
public final class Shape {
    private Shape() {}

    /** Number of elements; checks that no dimension is negative and that the count fits an int. */
    public static int size(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            n *= d;
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /** Row-major strides: the last axis is contiguous. */
    public static int[] strides(int... shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Normalises a possibly negative axis (-1 = last) and checks it against the rank. */
    public static int axis(int axis, int[] shape) {
        int r = shape.length;
        if (axis < -r || axis >= r) throw new IllegalArgumentException(
                "axis " + axis + " is out of range for shape " + str(shape) + " (rank " + r + ")");
        return axis < 0 ? axis + r : axis;
    }

    /** Product of dimensions [from, to). */
    public static int prod(int[] shape, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) n *= shape[i];
        return n;
    }

    /** The NumPy broadcast of two shapes: align on the right; each pair equal, or one of them 1. */
    public static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) throw new IllegalArgumentException(
                    "shapes " + str(a) + " and " + str(b) + " cannot be broadcast (axis " + i + ": " + da + " vs " + db + ")");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Strides for reading a tensor of shape {@code in} as if it had the (broadcast) shape
     * {@code out}: 0 along every broadcast axis.
     */
    public static int[] broadcastStrides(int[] in, int[] out) {
        int[] s = new int[out.length];
        int[] inStrides = strides(in);
        int lead = out.length - in.length;
        for (int i = 0; i < in.length; i++) s[lead + i] = in[i] == 1 ? 0 : inStrides[i];
        return s;
    }

    public static String str(int... shape) {
        return Arrays.toString(shape);
    }
}
