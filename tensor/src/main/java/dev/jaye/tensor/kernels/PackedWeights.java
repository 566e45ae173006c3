// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weights packed once for a stretch of calls in which they do not change: generation, where each
 * decoding step multiplies a few rows by every weight matrix and packing B would cost as much as
 * the multiply (a profile put it at a third of generation time).
 *
 * <pre>{@code
 * try (var packed = PackedWeights.scope()) {
 *     ... decode loop: every MatMul whose B was marked with packed.weight(w) reuses its packing ...
 * }
 * }</pre>
 * Only arrays registered with {@link Scope#weight} are cached, so activations (attention keys and
 * values) are never mistaken for weights, and the cache is dropped when the scope closes, so a
 * weight changed afterwards by an optimiser is packed afresh. The packed layout and the kernel are
 * the ones {@link MatMul} uses call by call: results are bit-identical with or without the cache.
 */
public final class PackedWeights {
    private PackedWeights() {}

    private record Entry(int bOff, int N, int K, boolean transB, float[] packed) {}

    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    /** Opens a scope on this thread (scopes nest: the inner one is used until it closes). */
    public static Scope scope() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** A scope's cache: registered weights and their packings. */
    public static final class Scope implements AutoCloseable {
        private final Scope outer;
        private final Map<float[], List<Entry>> cache = new IdentityHashMap<>();

        private Scope(Scope outer) {
            this.outer = outer;
        }

        /** Marks {@code w} as a weight that stays constant while this scope is open. */
        public void weight(float[] w) {
            cache.putIfAbsent(w, new ArrayList<>());
        }

        @Override
        public void close() {
            CURRENT.set(outer);
        }
    }

    /** Marks {@code w} as constant in the current scope, if one is open (else does nothing). */
    public static void markWeight(float[] w) {
        Scope s = CURRENT.get();
        if (s != null) s.weight(w);
    }

    /** The packing of B if B is a registered weight in an open scope (packed now if needed), else null. */
    static float[] lookup(float[] b, int bOff, int N, int K, boolean transB) {
        Scope s = CURRENT.get();
        if (s == null) return null;
        List<Entry> entries = s.cache.get(b);
        if (entries == null) return null;
        for (Entry e : entries) if (e.bOff == bOff && e.N == N && e.K == K && e.transB == transB) return e.packed;
        float[] packed = MatMul.packAll(b, bOff, N, K, transB);
        entries.add(new Entry(bOff, N, K, transB, packed));
        return packed;
    }
}
