// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backward of GELU and SiLU: dx = g · f'(x), one pass over x and g. Written as kernels because
 * the MLPs apply them to the largest activations of a training step, where a scalar tanh or exp
 * per element cost more than the forward. n = element count.
 */
public final class ActivationGrad {
    private ActivationGrad() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    private static final float GELU_C = Elementwise.GELU_C, GELU_K = Elementwise.GELU_K;   // the forward's constants
    private static final int CHUNK = 4096;

    // ---------------------------------------------------------------- the definitions

    /** GELU (tanh form) y = ½x(1 + t), t = tanh(u), u = √(2/π)(x + 0.044715x³): y' = ½(1 + t) + ½x(1 − t²)·u'. */
    public static float geluGrad(float x) {
        float t = (float) Math.tanh(GELU_C * (x + GELU_K * x * x * x));
        float dudx = GELU_C * (1f + 3f * GELU_K * x * x);
        return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * dudx;
    }

    /** SiLU y = x·σ(x): y' = σ(1 + x(1 − σ)). */
    public static float siluGrad(float x) {
        float s = 1f / (1f + (float) Math.exp(-x));
        return s * (1f + x * (1f - s));
    }

    public static void geluBackwardScalar(float[] x, float[] g, float[] dx, int n) {
        for (int i = 0; i < n; i++) dx[i] = g[i] * geluGrad(x[i]);
    }

    public static void siluBackwardScalar(float[] x, float[] g, float[] dx, int n) {
        for (int i = 0; i < n; i++) dx[i] = g[i] * siluGrad(x[i]);
    }

    // ---------------------------------------------------------------- fast versions

    /** dx = g · gelu'(x): the same formula on whole vectors, tanh from {@link Simd#tanh}. */
    public static void geluBackward(float[] x, float[] g, float[] dx, int n) {
        if (!Simd.ENABLED) {
            geluBackwardScalar(x, g, dx, n);
            return;
        }
        Parallel.forRange((n + CHUNK - 1) / CHUNK, CHUNK * 2L * Parallel.ELEMENT_WORK, (c0, c1) -> {
            int from = c0 * CHUNK, to = Math.min(n, c1 * CHUNK), whole = from + F.loopBound(to - from);
            geluBody(x, g, dx, from, whole);
            if (whole < to) tail(x, g, dx, whole, to, true);
        });
    }

    /** dx = g · silu'(x), σ from {@link Simd#exp}. */
    public static void siluBackward(float[] x, float[] g, float[] dx, int n) {
        if (!Simd.ENABLED) {
            siluBackwardScalar(x, g, dx, n);
            return;
        }
        Parallel.forRange((n + CHUNK - 1) / CHUNK, CHUNK * 2L * Parallel.ELEMENT_WORK, (c0, c1) -> {
            int from = c0 * CHUNK, to = Math.min(n, c1 * CHUNK), whole = from + F.loopBound(to - from);
            siluBody(x, g, dx, from, whole);
            if (whole < to) tail(x, g, dx, whole, to, false);
        });
    }

    /** Elements [from, to), a whole number of vectors. */
    private static void geluBody(float[] x, float[] g, float[] dx, int from, int to) {
        for (int i = from; i < to; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            FloatVector x2 = v.mul(v);
            FloatVector t = Simd.tanh(x2.mul(v).mul(GELU_K).add(v).mul(GELU_C));
            FloatVector dudx = x2.mul(3f * GELU_K).add(1f).mul(GELU_C);
            FloatVector d = t.add(1f).mul(0.5f).add(v.mul(0.5f).mul(t.mul(t).neg().add(1f)).mul(dudx));
            FloatVector.fromArray(F, g, i).mul(d).intoArray(dx, i);
        }
    }

    private static void siluBody(float[] x, float[] g, float[] dx, int from, int to) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = from; i < to; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            FloatVector s = one.div(one.add(Simd.exp(v.neg())));
            FloatVector d = s.mul(one.add(v.mul(one.sub(s))));
            FloatVector.fromArray(F, g, i).mul(d).intoArray(dx, i);
        }
    }

    /**
     * The last elements [from, to), fewer than a vector, through the same body on a padded copy:
     * the scalar formula rounds in another order and uses Math.tanh, and where the tail starts
     * depends on the vector width, so a scalar tail would make the bits depend on the CPU.
     */
    private static void tail(float[] x, float[] g, float[] dx, int from, int to, boolean gelu) {
        float[] xs = new float[L], gs = new float[L], ds = new float[L];
        System.arraycopy(x, from, xs, 0, to - from);
        System.arraycopy(g, from, gs, 0, to - from);
        if (gelu) geluBody(xs, gs, ds, 0, L);
        else siluBody(xs, gs, ds, 0, L);
        System.arraycopy(ds, 0, dx, from, to - from);
    }
}
