// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes copied between host and device by the OpenCL kernels of this package, for benchmarks
 * that report traffic per step. On a discrete GPU these copies, not the arithmetic, are often the
 * cost of offloading one op at a time, so they are counted rather than guessed.
 *
 * <p>What is counted: every array the kernels hand to Aparapi's explicit {@code put} (host to
 * device) and {@code get} (device to host), and every device buffer Aparapi creates as a copy of
 * an array (a field that holds a new array: see {@code Launcher.run}), each whole, as Aparapi
 * copies it whole. On PoCL's CPU device
 * device memory is host memory and the copies are nearly free, but they are counted all the same:
 * the number describes the program, not this machine.
 */
public final class Transfers {
    private Transfers() {}

    private static final AtomicLong TO_DEVICE = new AtomicLong(), TO_HOST = new AtomicLong(), UNREAD = new AtomicLong();

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

    /**
     * The part of {@link #toDeviceBytes()} that no kernel read: Aparapi creates the buffer of an
     * array new to its field as a copy of it, also when the array is only an output, so every
     * offloaded op's fresh result first travels to the device to be overwritten there. A cost of
     * Aparapi's buffer model, counted so that it shows.
     */
    public static long unreadBytes() {
        return UNREAD.get();
    }

    public static void reset() {
        TO_DEVICE.set(0);
        TO_HOST.set(0);
        UNREAD.set(0);
    }

    /** Counts an array sent to the device; returns its bytes. */
    static long countPut(Object array) {
        long n = bytes(array);
        TO_DEVICE.addAndGet(n);
        return n;
    }

    /** Counts a buffer created as a copy of an array the kernel only writes; returns its bytes. */
    static long countUnread(Object array) {
        UNREAD.addAndGet(bytes(array));
        return countPut(array);
    }

    /** Counts an array brought back; returns its bytes. */
    static long countGet(Object array) {
        long n = bytes(array);
        TO_HOST.addAndGet(n);
        return n;
    }

    private static long bytes(Object array) {
        return switch (array) {
            case float[] f -> 4L * f.length;
            case int[] i -> 4L * i.length;
            default -> throw new IllegalArgumentException("kernels here hold float[] and int[], not " + array.getClass().getSimpleName());
        };
    }
}
