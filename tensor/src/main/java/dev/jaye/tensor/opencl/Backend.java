// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the heavy kernels run, chosen once per process ({@code --device}): the CPU, the default,
 * or an OpenCL device. With a device chosen, {@code MatMul.matmul} and {@code Attention.attention}
 * hand products of at least {@link #minWork} multiply-adds to it (smaller ones cost more to move
 * than to compute) and keep the rest on the Vector API kernels.
 *
 * <p>Asking for OpenCL where there is none is not an error: the CPU is used, and {@link #use}
 * returns the one line that says why.
 */
public final class Backend {
    private Backend() {}

    private static volatile OpenClDevice device;                  // null: the CPU
    private static volatile long minWork = Long.getLong("jaye.opencl.minWork", 1L << 24);

    /** Applies a {@code --device} choice; returns what to tell the user, or null when there is nothing to say (auto on a machine without a GPU). */
    public static String use(Device request) {
        try {
            Optional<OpenClDevice> d = Devices.resolve(request);
            device = d.orElse(null);
            if (d.isPresent()) return "device: opencl:" + d.get().index() + " " + d.get().summary()
                    + " (products of " + minWork + "+ multiply-adds; smaller ones stay on the CPU)";
            return null;
        } catch (IllegalStateException e) {
            device = null;
            return "device: cpu (" + e.getMessage() + ")";
        }
    }

    /** The chosen OpenCL device, if any. */
    public static Optional<OpenClDevice> device() {
        return Optional.ofNullable(device);
    }

    /**
     * True when {@code kernel}'s work of {@code work} multiply-adds (or elements) should run on the
     * OpenCL device: a device is chosen, the work is large enough, and the kernel has not failed
     * there before (see {@link #fellBack}).
     */
    public static boolean offload(String kernel, long work) {
        return device != null && work >= minWork && !FELL_BACK.contains(kernel);
    }

    /**
     * Runs {@code kernel} on the chosen device through {@code body}; false when it could not run
     * there (after {@link #fellBack}), and the caller runs its CPU kernel instead. Call it after
     * {@link #offload} said yes, as {@code if (offload(..) && ran(..)) return;}, so that the CPU
     * path never builds the lambda.
     */
    public static boolean ran(String kernel, Consumer<OpenClDevice> body) {
        try {
            body.accept(device().orElseThrow());
            return true;
        } catch (IllegalStateException e) {
            fellBack(kernel, e);
            return false;
        }
    }

    /** Products below this many multiply-adds stay on the CPU. */
    public static long minWork() {
        return minWork;
    }

    /** Tests and benchmarks: offload from this size on (0: everything). */
    public static void setMinWork(long work) {
        minWork = work;
    }

    private static final java.util.Set<String> FELL_BACK = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A kernel that could not run on the device (Aparapi could not translate it, the OpenCL build
     * failed, the device refused the launch): the caller runs the CPU kernel instead, the user
     * hears it once, and the kernel stays on the CPU from then on rather than failing (and perhaps
     * compiling for a second) at every call.
     */
    public static void fellBack(String kernel, RuntimeException why) {
        if (FELL_BACK.add(kernel)) System.err.println("jaye: " + kernel + " runs on the CPU from now on: " + why.getMessage());
    }

    /** Back to the CPU. */
    public static void useCpu() {
        device = null;
    }

    /** Tests: forget which kernels fell back, so they are tried on the device again. */
    static void forgetFallBacks() {
        FELL_BACK.clear();
    }
}
