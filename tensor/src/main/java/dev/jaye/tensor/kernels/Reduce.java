// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions along one axis. The input is viewed as [outer, n, inner] (n = the reduced axis) and
 * the output is [outer, inner]: out[o, i] = reduce over j of x[o, j, i], x[o, j, i] at
 * (o·n + j)·inner + i.
 *
 * <p>Legend: L = floats per vector, IC = inner elements per work item ({@link #IC}).
 *
 * <p>The references ({@link #reduceScalar}, {@link #argmaxScalar}) are the definitions: sums are
 * accumulated in double in index order and rounded once, so they are as close to the exact
 * answer as a float result can be, and the fast version's float error is measured against them.
 *
 * <p>The fast version has two shapes:
 * <ul>
 *   <li>inner == 1 (sum over the last axis): each row x[o, :] is contiguous and is summed into
 *       {@link Simd#W} partial sums, element i into partial i mod W, which are added in order at
 *       the end: the same bits at every vector width (see Simd).</li>
 *   <li>inner &gt; 1: the rows x[o, j, :] are added into out[o, :] one after another, vectorised
 *       across inner; each output is then a plain sum in j order.</li>
 * </ul>
 * Work items are whole rows (inner == 1) or (o, block of IC inner elements); each output is
 * computed by one item in a fixed order, so results do not depend on the thread count. Partial
 * sums are combined with an explicit loop, not {@code reduceLanes}, whose float order is
 * unspecified; LOGSUMEXP's exp is {@link Simd#exp}, the same bits in every JIT tier.
 *
 * <p>NaN: SUM, MEAN, VAR and LOGSUMEXP propagate NaN; MAX follows {@link Math#max} (NaN wins, and
 * +0 beats -0); argmax, as NumPy, gives the index of the first NaN if there is one. An empty axis
 * (n = 0) gives SUM 0, MEAN and VAR NaN, MAX and LOGSUMEXP -inf; argmax of an empty axis throws.
 */
public final class Reduce {
    private Reduce() {}

    /** VAR is the population variance (divide by n), as LayerNorm uses it. */
    public enum Op { SUM, MEAN, MAX, VAR, LOGSUMEXP }

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /** Inner elements per work item when inner &gt; 1: a multiple of L; 4 KB of accumulators stay in L1. */
    static final int IC = 1024;

    // ---------------------------------------------------------------- the definitions

    public static void reduceScalar(Op op, float[] x, int outer, int n, int inner, float[] out) {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                out[o * inner + i] = reduceOne(op, x, o * n * inner + i, n, inner);
    }

    /** One output: the n values x[base + j·stride]. */
    private static float reduceOne(Op op, float[] x, int base, int n, int stride) {
        switch (op) {
            case SUM, MEAN -> {
                double s = 0;
                for (int j = 0; j < n; j++) s += x[base + j * stride];
                return (float) (op == Op.SUM ? s : s / n);
            }
            case MAX -> {
                float m = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) m = Math.max(m, x[base + j * stride]);
                return m;
            }
            case VAR -> { // two passes: Σx² - n·mean² would cancel catastrophically when mean² ≫ var
                double s = 0;
                for (int j = 0; j < n; j++) s += x[base + j * stride];
                double mean = s / n, q = 0;
                for (int j = 0; j < n; j++) {
                    double d = x[base + j * stride] - mean;
                    q += d * d;
                }
                return (float) (q / n);
            }
            case LOGSUMEXP -> { // m + log Σ exp(x - m): the largest term is exp(0) = 1, nothing overflows
                float m = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) m = Math.max(m, x[base + j * stride]);
                if (Float.isInfinite(m)) return m; // all -inf (or empty): -inf; any +inf: +inf
                double s = 0;
                for (int j = 0; j < n; j++) s += Math.exp((double) x[base + j * stride] - m);
                return (float) (m + Math.log(s));
            }
        }
        throw new AssertionError(op);
    }

    /** Index of the first maximum along n; the first NaN, if any, counts as the maximum. */
    public static void argmaxScalar(float[] x, int outer, int n, int inner, int[] out) {
        checkArgmax(outer, n, inner);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i, best = 0;
                float bv = x[base];
                for (int j = 1; j < n && bv == bv; j++) { // bv != bv: a NaN was found, it stays
                    float v = x[base + j * inner];
                    if (v > bv || v != v) {
                        bv = v;
                        best = j;
                    }
                }
                out[o * inner + i] = best;
            }
    }

    private static void checkArgmax(int outer, int n, int inner) {
        if (n == 0 && outer * inner > 0) throw new IllegalArgumentException("argmax over an empty axis");
    }

    // ---------------------------------------------------------------- fast: entry points

    public static void reduce(Op op, float[] x, int outer, int n, int inner, float[] out) {
        if (!Simd.ENABLED || n == 0) {
            reduceScalar(op, x, outer, n, inner, out);
            return;
        }
        long cost = op == Op.LOGSUMEXP ? 16 : op == Op.VAR ? 2 : 1;
        if (inner == 1) {
            Parallel.forRange(outer, cost * n, (o0, o1) -> {
                for (int o = o0; o < o1; o++) out[o] = row(op, x, o * n, n);
            });
            return;
        }
        int blocks = (inner + IC - 1) / IC;
        Parallel.forRange(outer * blocks, cost * n * Math.min(inner, IC), (t0, t1) -> {
            float[] tmp = new float[Math.min(inner, IC)];
            for (int t = t0; t < t1; t++) {
                int o = t / blocks, i0 = (t - o * blocks) * IC, len = Math.min(IC, inner - i0);
                columns(op, x, o * n * inner + i0, n, inner, out, o * inner + i0, len, tmp);
            }
        });
    }

    public static void argmax(float[] x, int outer, int n, int inner, int[] out) {
        if (!Simd.ENABLED) {
            argmaxScalar(x, outer, n, inner, out);
            return;
        }
        checkArgmax(outer, n, inner);
        if (n == 0) return;
        if (inner == 1) {
            Parallel.forRange(outer, 2L * n, (o0, o1) -> {
                for (int o = o0; o < o1; o++) out[o] = argmaxRow(x, o * n, n);
            });
            return;
        }
        int blocks = (inner + IC - 1) / IC;
        Parallel.forRange(outer * blocks, (long) n * Math.min(inner, IC), (t0, t1) -> {
            float[] best = new float[Math.min(inner, IC)];
            for (int t = t0; t < t1; t++) {
                int o = t / blocks, i0 = (t - o * blocks) * IC, len = Math.min(IC, inner - i0);
                argmaxColumns(x, o * n * inner + i0, n, inner, out, o * inner + i0, len, best);
            }
        });
    }

    // ---------------------------------------------------------------- inner == 1: contiguous rows

    /**
     * One row's reduction. The sums are Simd's, in {@link Simd#W} partial sums (the same bits at
     * any width): Σx, Σ(x − mean)² with one fused multiply-add per term, Σ exp(x − max).
     */
    private static float row(Op op, float[] x, int off, int n) {
        return switch (op) {
            case SUM -> Simd.sum(x, off, n);
            case MEAN -> Simd.sum(x, off, n) / n;
            case MAX -> maxRow(x, off, n);
            case VAR -> Simd.sumSquaredDeviations(x, off, n, Simd.sum(x, off, n) / n) / n;
            case LOGSUMEXP -> {
                float m = maxRow(x, off, n);
                yield Float.isInfinite(m) ? m : m + (float) Math.log(Simd.sumExp(x, off, n, m));
            }
        };
    }

    /** max of x[off, off+n), Math.max semantics; max is exact, so the order does not matter. */
    private static float maxRow(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            a0 = a0.max(FloatVector.fromArray(F, x, off + i));
            a1 = a1.max(FloatVector.fromArray(F, x, off + i + L));
            a2 = a2.max(FloatVector.fromArray(F, x, off + i + 2 * L));
            a3 = a3.max(FloatVector.fromArray(F, x, off + i + 3 * L));
        }
        for (; i <= n - L; i += L) a0 = a0.max(FloatVector.fromArray(F, x, off + i));
        FloatVector acc = a0.max(a1).max(a2.max(a3));
        float m = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < L; l++) m = Math.max(m, acc.lane(l));
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /** First index of the maximum: find the max (vector), then the first lane equal to it. */
    private static int argmaxRow(float[] x, int off, int n) {
        float m = maxRow(x, off, n);
        if (m != m) { // Math.max propagates NaN: the answer is the first NaN
            for (int i = 0; ; i++) if (x[off + i] != x[off + i]) return i;
        }
        // == also matches -0 when m is +0: the first zero of either sign, as the reference's ">"
        FloatVector vm = FloatVector.broadcast(F, m);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            VectorMask<Float> eq = FloatVector.fromArray(F, x, off + i).compare(VectorOperators.EQ, vm);
            if (eq.anyTrue()) return i + eq.firstTrue();
        }
        for (; ; i++) if (x[off + i] == m) return i;
    }

    // ---------------------------------------------------------------- inner > 1: across columns

    /**
     * out[oo, oo+len) = reduce over j of x[base + j·inner, +len). Rows are added one after another
     * into the accumulator, L columns at a time; {@code tmp} is scratch of at least len floats.
     */
    private static void columns(Op op, float[] x, int base, int n, int inner, float[] out, int oo, int len, float[] tmp) {
        switch (op) {
            case SUM -> sumColumns(x, base, n, inner, out, oo, len);
            case MEAN -> {
                sumColumns(x, base, n, inner, out, oo, len);
                for (int i = 0; i < len; i++) out[oo + i] /= n;
            }
            case MAX -> maxColumns(x, base, n, inner, out, oo, len);
            case VAR -> {
                sumColumns(x, base, n, inner, tmp, 0, len);
                for (int i = 0; i < len; i++) tmp[i] /= n;
                sqDevColumns(x, base, n, inner, tmp, out, oo, len);
                for (int i = 0; i < len; i++) out[oo + i] /= n;
            }
            case LOGSUMEXP -> {
                maxColumns(x, base, n, inner, tmp, 0, len);
                expSumColumns(x, base, n, inner, tmp, out, oo, len);
                for (int i = 0; i < len; i++) {
                    float m = tmp[i];
                    out[oo + i] = Float.isInfinite(m) ? m : m + (float) Math.log(out[oo + i]);
                }
            }
        }
    }

    private static void sumColumns(float[] x, int base, int n, int inner, float[] acc, int ao, int len) {
        System.arraycopy(x, base, acc, ao, len);
        int bound = F.loopBound(len);
        for (int j = 1; j < n; j++) {
            int r = base + j * inner, i = 0;
            for (; i < bound; i += L)
                FloatVector.fromArray(F, acc, ao + i).add(FloatVector.fromArray(F, x, r + i)).intoArray(acc, ao + i);
            for (; i < len; i++) acc[ao + i] += x[r + i];
        }
    }

    private static void maxColumns(float[] x, int base, int n, int inner, float[] acc, int ao, int len) {
        System.arraycopy(x, base, acc, ao, len);
        int bound = F.loopBound(len);
        for (int j = 1; j < n; j++) {
            int r = base + j * inner, i = 0;
            for (; i < bound; i += L)
                FloatVector.fromArray(F, acc, ao + i).max(FloatVector.fromArray(F, x, r + i)).intoArray(acc, ao + i);
            for (; i < len; i++) acc[ao + i] = Math.max(acc[ao + i], x[r + i]);
        }
    }

    /** acc[ao + i] = Σ_j (x[j, i] - mean[i])², with FMA as in {@link Simd#sumSquaredDeviations}. */
    private static void sqDevColumns(float[] x, int base, int n, int inner, float[] mean, float[] acc, int ao, int len) {
        java.util.Arrays.fill(acc, ao, ao + len, 0f);
        int bound = F.loopBound(len);
        for (int j = 0; j < n; j++) {
            int r = base + j * inner, i = 0;
            for (; i < bound; i += L) {
                FloatVector d = FloatVector.fromArray(F, x, r + i).sub(FloatVector.fromArray(F, mean, i));
                d.fma(d, FloatVector.fromArray(F, acc, ao + i)).intoArray(acc, ao + i);
            }
            for (; i < len; i++) {
                float d = x[r + i] - mean[i];
                acc[ao + i] = Math.fma(d, d, acc[ao + i]);
            }
        }
    }

    /** acc[ao + i] = Σ_j exp(x[j, i] - m[i]). */
    private static void expSumColumns(float[] x, int base, int n, int inner, float[] m, float[] acc, int ao, int len) {
        java.util.Arrays.fill(acc, ao, ao + len, 0f);
        int bound = F.loopBound(len);
        VectorMask<Float> in = F.indexInRange(bound, len);      // the last columns: a masked vector, Simd.exp as in the others
        for (int j = 0; j < n; j++) {
            int r = base + j * inner, i = 0;
            for (; i < bound; i += L) {
                FloatVector e = Simd.exp(FloatVector.fromArray(F, x, r + i).sub(FloatVector.fromArray(F, m, i)));
                e.add(FloatVector.fromArray(F, acc, ao + i)).intoArray(acc, ao + i);
            }
            if (i < len) {
                FloatVector e = Simd.exp(FloatVector.fromArray(F, x, r + i, in).sub(FloatVector.fromArray(F, m, i, in)));
                e.add(FloatVector.fromArray(F, acc, ao + i, in)).intoArray(acc, ao + i, in);
            }
        }
    }

    /**
     * argmax across columns: the reference's rule, row after row. Scalar: a running index per
     * column does not map onto float lanes simply, and argmax over a middle axis is rare (greedy
     * decoding takes it over the last axis, the vectorised case).
     */
    private static void argmaxColumns(float[] x, int base, int n, int inner, int[] out, int oo, int len, float[] best) {
        System.arraycopy(x, base, best, 0, len);
        java.util.Arrays.fill(out, oo, oo + len, 0);
        for (int j = 1; j < n; j++) {
            int r = base + j * inner;
            for (int i = 0; i < len; i++) {
                float v = x[r + i], bv = best[i];
                if (bv == bv && (v > bv || v != v)) {
                    best[i] = v;
                    out[oo + i] = j;
                }
            }
        }
    }
}
