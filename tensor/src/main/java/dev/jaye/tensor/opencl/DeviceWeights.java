// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import com.aparapi.Kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Weights kept in device memory while they do not change, so that offloaded products stop
 * sending every weight to the device at every call.
 *
 * <pre>{@code
 * try (var constant = DeviceWeights.scope()) {
 *     forward and backward: each weight marked with DeviceWeights.mark(w) crosses the bus once
 * }
 * optimizer.step();   // outside the scope: the next scope sends the new values
 * }</pre>
 * A scope is a promise made by the code that opens it: the marked arrays are not written while it
 * is open. Between two optimiser steps a training step uses every weight at least twice (x·Wᵀ
 * forward, dy·W backward), more with gradient accumulation; generation uses each weight once per
 * decoding step. Outside a scope nothing is kept, so a forgotten scope costs time, never a wrong
 * result. {@link #setChecking} turns on a check that the promise holds, on any backend (the tests
 * run with it).
 *
 * <p>How, with Aparapi: a device buffer belongs to one field of one kernel instance, and stays
 * on the device as long as that field keeps the same array (see {@code Launcher.run}). So each
 * weight gets its own instance of the kernel that reads it, a <i>slot</i>, with the weight in
 * its field: the first call in a scope uploads it, later calls in the scope skip it. Slots go
 * back to a pool when their scope closes; the next scope gives a weight the slot that already
 * holds it when it can (its buffer is reused and refreshed by one upload), else any free slot.
 * Instances cost little: Aparapi builds a kernel class's program once per device.
 *
 * <p>Memory: while its scope is open, a slot's kernel also holds its last call's other operands
 * (the activation and the result), on the device and, through Aparapi's references, on the host:
 * per weight, one call's worth. In a training step the graph keeps those alive anyway; in a
 * forward without gradients (generation, log-probs in chunks) they are held until the next call
 * or the end of the scope, e.g. one chunk's logits for the output head. When the scope closes
 * each slot drops them, so between scopes a slot holds only its weight (measured: without that,
 * the tiny training benchmark kept 200 MB more heap alive).
 *
 * <p>Only products take weights here (norm weights and biases are a few hundred floats), so only
 * {@link OpenClMatMul} uses slots, for its B operand.
 */
public final class DeviceWeights {
    private DeviceWeights() {}

    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();
    private static final AtomicLong SCOPES = new AtomicLong();
    private static volatile boolean checking = Boolean.getBoolean("jaye.opencl.checkWeights");
    /** {@code -Djaye.opencl.keepWeights=false}: send every weight at every call, to compare, or when device memory is short. */
    private static volatile boolean keeping = !"false".equals(System.getProperty("jaye.opencl.keepWeights"));

    /** Opens a scope on this thread; scopes nest (the inner one is used until it closes). */
    public static Scope scope() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** Marks {@code w} as a weight that stays constant in the current scope, if one is open (else does nothing). */
    public static void mark(float[] w) {
        Scope s = CURRENT.get();
        if (s != null && !s.marked.containsKey(w)) s.marked.put(w, checking ? Arrays.hashCode(w) : null);
    }

    /**
     * Tests: check that the promise holds. Each marked weight's values are summed up when it is
     * first marked, and compared when the scope closes and whenever a device skips its upload; a
     * weight written inside its scope throws {@link ConcurrentModificationException}. Without the
     * check a GPU would silently compute with the old values.
     */
    public static void setChecking(boolean on) {
        checking = on;
    }

    /** Benchmarks and tests: keep marked weights on the device (the default) or send them at every call. */
    public static void setKeeping(boolean on) {
        keeping = on;
    }

    /** Whether marked weights are kept (see {@link #setKeeping}). */
    public static boolean keeping() {
        return keeping;
    }

    /** The weights that stay constant until {@link #close}, and the slots that hold them. */
    public static final class Scope implements AutoCloseable {
        private final Scope outer;
        private final long id = SCOPES.incrementAndGet();
        private final Map<float[], Integer> marked = new IdentityHashMap<>();   // weight -> its checksum, when checking
        private final Map<SlotKey, Slot> slots = new HashMap<>();
        private boolean closed;

        private Scope(Scope outer) {
            this.outer = outer;
        }

        /** @throws ConcurrentModificationException when checking and {@code w} changed since it was marked */
        private void verify(float[] w) {
            Integer sum = marked.get(w);
            if (checking && sum != null && sum != Arrays.hashCode(w))
                throw new ConcurrentModificationException("a weight of " + w.length + " floats was written inside a"
                        + " DeviceWeights scope, which promised it constant: a device would compute with its old values"
                        + " (close the scope before an optimiser step or a load)");
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            CURRENT.set(outer);
            for (Slot s : slots.values()) s.dropOperands();
            synchronized (POOL) {
                for (Slot s : slots.values()) s.inUse = false;
            }
            for (float[] w : marked.keySet()) verify(w);
        }
    }

    /** A kernel instance that keeps one weight in a field, and the scope whose values of it the device holds. */
    static final class Slot {
        final Kernel kernel;
        final Consumer<Kernel> drop;       // lets go of everything but the weight (see the class comment)
        float[] weight;                    // the array the kernel's field holds
        long uploadedIn;                   // the scope whose values the device holds, 0: none
        boolean inUse;

        Slot(Kernel kernel, Consumer<Kernel> drop) {
            this.kernel = kernel;
            this.drop = drop;
        }

        private void dropOperands() {
            try {
                synchronized (kernel) {
                    drop.accept(kernel);
                }
            } catch (RuntimeException e) {
                // Only memory is at stake, and close() may run after another failure: not worth
                // hiding that one. Whatever failed shows again at the next launch.
            }
        }
    }

    /** A slot taken by this thread's current scope. */
    record Held(Slot slot, Scope scope) {
        /**
         * Whether the weight must be sent with this call. Call under the kernel's lock, then
         * {@link #sent} after a launch that sent it.
         *
         * @throws ConcurrentModificationException when checking and the weight was written since it was marked
         */
        boolean mustSend() {
            if (slot.uploadedIn != scope.id) return true;
            scope.verify(slot.weight);
            return false;
        }

        void sent() {
            slot.uploadedIn = scope.id;
        }
    }

    /** Free and busy slots, per kernel class and device. */
    private static final Map<Key, List<Slot>> POOL = new HashMap<>();

    private record Key(Class<?> type, int device) {}

    /** A scope's slot for one weight, kernel class and device (arrays compare by identity). */
    private record SlotKey(float[] weight, Key key) {}

    /**
     * The slot that holds {@code w} for {@code type} on {@code device} in this thread's scope,
     * taking one from the pool (or making one) on first use; null when no scope is open or
     * {@code w} is not marked in it. The caller puts {@code w} into the slot's kernel field;
     * {@code drop} empties the kernel's other fields when the scope closes.
     */
    static <K extends Kernel> Held slot(float[] w, Class<K> type, OpenClDevice device, Supplier<K> make, Consumer<K> drop) {
        Scope s = CURRENT.get();
        if (!keeping || s == null || !s.marked.containsKey(w)) return null;
        Key key = new Key(type, device.index());
        Slot slot = s.slots.get(new SlotKey(w, key));
        if (slot == null) {
            slot = take(w, key);
            if (slot == null) {
                slot = new Slot(Launcher.fresh(type, device, make), k -> drop.accept(type.cast(k)));
                slot.inUse = true;
                synchronized (POOL) {
                    POOL.computeIfAbsent(key, k -> new ArrayList<>()).add(slot);
                }
            }
            if (slot.weight != w) {                      // a new array in the field: nothing of it is on the device
                slot.weight = w;
                slot.uploadedIn = 0;
            }
            s.slots.put(new SlotKey(w, key), slot);
        }
        return new Held(slot, s);
    }

    /** A free slot, the one already holding {@code w} if there is one; null if none is free. */
    private static Slot take(float[] w, Key key) {
        synchronized (POOL) {
            Slot any = null;
            for (Slot s : POOL.getOrDefault(key, List.of())) {
                if (s.inUse) continue;
                if (s.weight == w) {
                    any = s;
                    break;
                }
                if (any == null) any = s;
            }
            if (any != null) any.inUse = true;
            return any;
        }
    }

    /** The kernels of the slots made so far for {@code type}, on any device: for tests. */
    static List<Kernel> kernels(Class<?> type) {
        synchronized (POOL) {
            return POOL.entrySet().stream().filter(e -> e.getKey().type() == type)
                    .flatMap(e -> e.getValue().stream()).map(s -> s.kernel).toList();
        }
    }
}
