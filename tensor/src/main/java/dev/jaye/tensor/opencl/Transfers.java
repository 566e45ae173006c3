// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes copied between host and device by the OpenCL kernels of this package, for benchmarks
 * that report traffic per step. On a discrete GPU these copies, not the arithmetic, are often the
 * cost of offloading one op at a time, so they are counted rather than guessed.
 *
 * <p>What is counted: every array the kernels hand to Aparapi's explicit {@code put} (host to
 * device) and {@code get} (device to host), whole, as Aparapi copies it whole. On PoCL's CPU device
 * device memory is host memory and the copies are nearly free, but they are counted all the same:
 * the number describes the program, not this machine.
 */
public final class Transfers {
    private Transfers() {}

    private static final AtomicLong TO_DEVICE = new AtomicLong(), TO_HOST = new AtomicLong();

    /** Bytes copied host to device and device to host since start or the last {@link #reset()}. */
    public static long bytes() {
        return TO_DEVICE.get() + TO_HOST.get();
    }

    public static long toDeviceBytes() {
        return TO_DEVICE.get();
    }

    public static long toHostBytes() {
        return TO_HOST.get();
    }

    public static void reset() {
        TO_DEVICE.set(0);
        TO_HOST.set(0);
    }

    static void countPut(float[] a) {
        TO_DEVICE.addAndGet(4L * a.length);
    }

    static void countGet(float[] a) {
        TO_HOST.addAndGet(4L * a.length);
    }
}
