// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

/**
 * Argument checks for the entry methods. They matter more here than on the CPU: a Java kernel
 * that reads past an array throws, an OpenCL kernel reads whatever memory is there, so sizes are
 * checked on the host before anything is launched.
 */
final class Args {
    private Args() {}

    /** Fails unless {@code a[off, off + n)} lies inside a. */
    static void fits(String what, float[] a, int off, long n) {
        if (a == null) throw new IllegalArgumentException(what + " is null");
        if (off < 0 || n < 0 || off + n > a.length)
            throw new IllegalArgumentException(what + ": needs [" + off + ", " + (off + n) + ") of an array of " + a.length);
    }

    /** Whether {@code a[off, off + n)} is all of a, so a kernel writing it leaves nothing stale. */
    static boolean covers(float[] a, int off, long n) {
        return off == 0 && n == a.length;
    }

    static void sizes(String what, int... dims) {
        for (int d : dims) if (d < 0) throw new IllegalArgumentException(what + ": negative size " + d);
    }
}
