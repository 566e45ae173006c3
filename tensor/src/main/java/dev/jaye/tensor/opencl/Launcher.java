// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import com.aparapi.internal.kernel.KernelManager;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one place that talks to Aparapi's execution machinery, so every kernel gets the same three
 * guarantees:
 * <ol>
 *   <li><b>It runs as OpenCL or not at all.</b> Aparapi's habit, when it cannot translate a kernel
 *       (a {@code break}, an object field) or the device refuses it, is to log a warning and run the
 *       Java bytecode on a thread pool instead; results stay right, so nothing but the time shows
 *       it, and a kernel with barriers then takes seconds per call (docs/performance.md 6). Here a
 *       kernel is compiled for its device when first made, which turns a translation failure into
 *       an exception before anything runs, and {@code isRunningCL()} is checked after every
 *       execution. A generated program that fails to build is an exception too.</li>
 *   <li><b>Copies are explicit and counted.</b> Kernels run in explicit mode: only the arrays a
 *       call names in its {@link Copies} as inputs go to the device and only its outputs come back, and
 *       {@link Transfers} adds up every copy Aparapi makes on a discrete GPU, including the one it
 *       makes unasked (below, {@link #run}).</li>
 *   <li><b>One instance per kernel class and device, used by one thread at a time.</b> Aparapi
 *       kernels keep their arguments in fields, so a call sets fields, executes and reads back
 *       under the instance's lock. Reusing the instance keeps the compiled program: building it
 *       costs about a second.</li>
 * </ol>
 */
final class Launcher {
    private Launcher() {}

    private record Key(Class<?> type, int device) {}

    private static final Map<Key, Kernel> KERNELS = new ConcurrentHashMap<>();

    /**
     * The instance of {@code type} for {@code device}, made by {@code make} and compiled on first
     * use. Its array fields must never be null (start them as one-element placeholders): Aparapi
     * has no null buffer to give OpenCL.
     */
    static <K extends Kernel> K kernel(Class<K> type, OpenClDevice device, Supplier<K> make) {
        return type.cast(KERNELS.computeIfAbsent(new Key(type, device.index()), key -> prepare(make.get(), device)));
    }

    /**
     * A new instance of a kernel class, compiled for {@code device} and not shared: for a kernel
     * that keeps one array in a field across calls ({@link DeviceWeights}). After the first
     * instance Aparapi reuses the built program, so this costs about a millisecond, not a second.
     */
    static <K extends Kernel> K fresh(Class<K> type, OpenClDevice device, Supplier<K> make) {
        return type.cast(prepare(make.get(), device));
    }

    private static Kernel prepare(Kernel k, OpenClDevice device) {
        OpenCLDevice handle = Devices.handle(device);
        KernelManager.instance().setPreferredDevices(k, new LinkedHashSet<>(List.of(handle)));
        k.setExplicit(true);
        try {
            k.compile(handle);
        } catch (CompileFailedException | RuntimeException e) {
            // No k.dispose() here: after a failed OpenCL build, Aparapi 3.0.2's dispose releases a
            // command queue it never made, and the JVM dies in libOpenCL (seen on PoCL).
            throw new IllegalStateException("OpenCL kernel " + name(k) + " could not be built for " + device.name()
                    + " (Aparapi would have run it on Java threads instead): " + e.getMessage(), e);
        }
        return k;
    }

    /**
     * Copies {@code copies}' inputs to the device, runs {@code k} over {@code range}, copies its
     * outputs back. The caller holds {@code k}'s lock and has set its fields.
     *
     * <p>How Aparapi moves data, and so what this counts. Each array field of a kernel instance
     * has its own device buffer. When a field holds a different array than at the instance's last
     * execution, Aparapi drops the old buffer and creates a new one <i>as a copy of the array</i>
     * (CL_MEM_COPY_HOST_PTR on a discrete GPU, for outputs too): that copy is the array's upload,
     * and an explicit {@code put} on top of it would send it twice, so inputs new to their field
     * are not put. An array that stays in its field keeps its buffer, and then only a {@code put}
     * refreshes it; that is what lets a weight stay on the device between calls
     * ({@link DeviceWeights}). A buffer is also recreated, uncounted, when the garbage collector
     * has moved the array since the last call; the new copy holds the array's current values.
     */
    static Launch run(Kernel k, String kernel, OpenClDevice device, Range range, Copies copies) {
        assert Thread.holdsLock(k) : "set the fields and launch under the kernel's lock";
        // Aparapi records a put only while the kernel targets OpenCL, and drops it silently
        // otherwise: check before copying, not only after running.
        requireCL(k, kernel, device);
        Set<Object> in = Collections.newSetFromMap(new IdentityHashMap<>()), fresh = Collections.newSetFromMap(new IdentityHashMap<>());
        for (float[] a : copies.in)
            // One put marks one field: Aparapi writes the array into the first field that holds
            // it and forgets the put, so a second field with the same array would read a stale
            // buffer on a discrete GPU. Entry methods copy such inputs (unaliased).
            if (!in.add(a)) throw new IllegalStateException("kernel " + kernel + " was given one array for two inputs");
        long bytes = 0;
        for (Object a : Buffers.rebound(k)) {                   // new buffers, copied from the host
            fresh.add(a);
            bytes += in.contains(a) ? Transfers.countPut(a) : Transfers.countUnread(a);
        }
        for (float[] a : copies.in) {
            if (fresh.contains(a)) continue;                    // its new buffer is its upload
            k.put(a);
            bytes += Transfers.countPut(a);
        }
        try {
            k.execute(range);
            requireCL(k, kernel, device);
        } catch (RuntimeException e) {
            Buffers.forget(k);
            throw e;
        }
        for (float[] a : copies.out) {
            k.get(a);
            bytes += Transfers.countGet(a);
        }
        return new Launch(kernel, device.name(), bytes, k.getConversionTime(), k.getExecutionTime());
    }

    private static void requireCL(Kernel k, String kernel, OpenClDevice device) {
        if (!k.isRunningCL())
            throw new IllegalStateException("OpenCL kernel " + kernel + " fell back to " + k.getTargetDevice()
                    + " instead of running on " + device.name() + "; see Aparapi's warnings above for why");
    }

    /**
     * What a launch copies: the arrays the kernel reads go to the device before it, the arrays it
     * writes come back after it. Absent optional arrays (null) are skipped.
     */
    static final class Copies {
        final List<float[]> in = new ArrayList<>(), out = new ArrayList<>();

        /** Arrays the kernel reads. */
        Copies in(float[]... arrays) {
            for (float[] a : arrays) if (a != null) in.add(a);
            return this;
        }

        /**
         * An array the kernel writes at {@code [off, off + n)}. It goes to the device too when
         * that leaves part of it unwritten (an offset into a larger array): {@code get} brings back
         * the whole device buffer, and a buffer kept from an earlier call with the same array
         * would bring stale values back over the part the kernel did not write.
         */
        Copies out(float[] a, int off, long n) {
            if (a == null) return this;
            out.add(a);
            if (!Args.covers(a, off, n)) in.add(a);
            return this;
        }

        /** An array the kernel reads and writes (C of an accumulating matmul): it goes both ways. */
        Copies inOut(float[] a) {
            in.add(a);
            out.add(a);
            return this;
        }
    }

    /** A global size rounded up to a multiple of the work-group size: OpenCL requires it. */
    static int roundUp(int n, int group) {
        return (n + group - 1) / group * group;
    }

    /** A 1D range of at least {@code n} work-items, in groups of up to 64 (kernels guard the tail). */
    static Range range1D(OpenClDevice device, int n) {
        int group = Math.min(64, device.maxWorkGroupSize());
        return Devices.handle(device).createRange(roundUp(n, group), group);
    }

    /**
     * {@code in} itself, or a copy when it is the same array as one of {@code others}. Aparapi
     * gives each field its own device buffer: an in-place call would read and write two buffers
     * backed by one host array, and an input in two fields reaches only one of them (see
     * {@link #run}). The reference kernels allow both (x·xᵀ, softmax in place); the copy keeps that.
     */
    static float[] unaliased(float[] in, float[]... others) {
        for (float[] o : others) if (in == o) return in.clone();
        return in;
    }

    private static String name(Kernel k) {
        return k.getClass().getSimpleName();
    }
}
