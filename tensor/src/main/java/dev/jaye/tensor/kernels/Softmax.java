// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.OpenClSoftmax;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and log-softmax along the last axis of x viewed as [rows, n].
 *
 * <p>softmax(x)_j = Simd.exp(x_j - m) / Σ_k Simd.exp(x_k - m), with m = max_k x_k. Subtracting the row max
 * changes nothing mathematically (it cancels between numerator and denominator) but keeps every
 * exponent ≤ 0, so exp never overflows and the largest term is exactly 1: softmax(1000, 1001)
 * works. log-softmax is x_j - m - log Σ_k Simd.exp(x_k - m), computed directly rather than as
 * log(softmax), which would give -inf for terms that underflow to 0.
 *
 * <p>A row that is all -inf is a row where everything is masked (attention with no visible key).
 * Taken literally it is 0/0 = NaN; here it is defined as "attends to nothing": softmax gives 0
 * for every entry and log-softmax -inf. A row with some -inf entries gives those entries 0 (and
 * -inf), exactly, since Simd.exp(-inf) = 0. A +inf or NaN entry gives NaN, as it should.
 *
 * <p>The fast version does the same three passes (max, exp and sum, scale) on whole vectors:
 * max and sum are kept in vector accumulators and reduced once per row, so the sum is added in a
 * different order than in the reference, and exp is {@link #Simd.exp(FloatVector)} below rather than
 * Math.exp: results agree to a few ulp, not bit for bit. Rows go to threads whole.
 *
 * <p>Why not {@code lanewise(EXP)} and {@code reduceLanes(ADD)}: both give different bits before
 * and after the JIT compiles the loop (measured on JDK 25, AVX-512: EXP differs in ~1% of lanes,
 * the interpreter calling Math.exp per lane and C2 a vector math library; ADD in ~half the
 * reductions, the interpreter summing lanes in order and C2 as a tree). Compilation happens at a
 * moment that depends on timing, so either would make one run differ from the next, and 1 thread
 * differ from 2. Simd.exp and {@link Simd#sum} use only +, ×, fma and bit moves, which are
 * correctly rounded IEEE operations in every tier: the same input gives the same bits, always.
 * The sum keeps {@link Simd#W} partial sums and the tail is a masked vector, so the bits are also
 * the same at every vector width (see Simd).
 */
public final class Softmax {
    private Softmax() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /** Rough cost of one element in multiply-adds (an exp is worth several), for {@link Parallel}. */
    private static final int WORK_PER_ELEMENT = 2 * Parallel.ELEMENT_WORK;

    // ---------------------------------------------------------------- the definition

    public static void softmaxScalar(float[] x, float[] out, int rows, int n) {
        for (int r = 0; r < rows; r++) softmaxRowScalar(x, r * n, out, r * n, n);
    }

    /** Softmax of one row, x[xOff, xOff+n) into out[oOff, oOff+n); in place is fine. */
    public static void softmaxRowScalar(float[] x, int xOff, float[] out, int oOff, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, x[xOff + j]);
        if (max == Float.NEGATIVE_INFINITY) {                    // all masked: attend to nothing
            for (int j = 0; j < n; j++) out[oOff + j] = 0f;
            return;
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(x[xOff + j] - max);
            out[oOff + j] = e;
            sum += e;
        }
        float inv = 1f / sum;                                    // sum >= 1: the max term is Simd.exp(0)
        for (int j = 0; j < n; j++) out[oOff + j] *= inv;
    }

    public static void logSoftmaxScalar(float[] x, float[] out, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) max = Math.max(max, x[o + j]);
            if (max == Float.NEGATIVE_INFINITY) {
                for (int j = 0; j < n; j++) out[o + j] = Float.NEGATIVE_INFINITY;
                continue;
            }
            float sum = 0f;
            for (int j = 0; j < n; j++) sum += (float) Math.exp(x[o + j] - max);
            float logSum = (float) Math.log(sum);
            for (int j = 0; j < n; j++) out[o + j] = (x[o + j] - max) - logSum;
        }
    }

    // ---------------------------------------------------------------- fast versions

    public static void softmax(float[] x, float[] out, int rows, int n) {
        if (Backend.offload("softmax", (long) rows * n)
                && Backend.ran("softmax", d -> OpenClSoftmax.softmax(x, out, rows, n, d))) return;
        if (!Simd.ENABLED) {
            softmaxScalar(x, out, rows, n);
            return;
        }
        Parallel.forRange(rows, (long) n * WORK_PER_ELEMENT, (r0, r1) -> {
            for (int r = r0; r < r1; r++) softmaxRow(x, r * n, out, r * n, n);
        });
    }

    public static void logSoftmax(float[] x, float[] out, int rows, int n) {
        if (Backend.offload("log_softmax", (long) rows * n)
                && Backend.ran("log_softmax", d -> OpenClSoftmax.logSoftmax(x, out, rows, n, d))) return;
        if (!Simd.ENABLED) {
            logSoftmaxScalar(x, out, rows, n);
            return;
        }
        Parallel.forRange(rows, (long) n * WORK_PER_ELEMENT, (r0, r1) -> {
            for (int r = r0; r < r1; r++) logSoftmaxRow(x, r * n, out, r * n, n);
        });
    }

    /**
     * Softmax of one row, x[xOff, xOff+n) into out[oOff, oOff+n), on the calling thread (the
     * caller owns the parallelism; Attention runs it per query row). In place (x == out, same
     * offset) is fine: every pass reads an element before it writes it.
     */
    public static void softmaxRow(float[] x, int xOff, float[] out, int oOff, int n) {
        float max = rowMax(x, xOff, n);
        if (max == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(out, oOff, oOff + n, 0f);
            return;
        }
        // Simd.exp(x - max) into out, then their sum (Simd.sum: the same bits at any width). The
        // last, partial vector is masked: its exps come from the same vector code as the others,
        // so no element's bits depend on where the vector width puts the tail.
        FloatVector vmax = FloatVector.broadcast(F, max);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L)
            Simd.exp(FloatVector.fromArray(F, x, xOff + j).sub(vmax)).intoArray(out, oOff + j);
        if (j < n) {
            VectorMask<Float> in = F.indexInRange(j, n);
            Simd.exp(FloatVector.fromArray(F, x, xOff + j, in).sub(vmax)).intoArray(out, oOff + j, in);
        }
        float inv = 1f / Simd.sum(out, oOff, n);
        j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L)
            FloatVector.fromArray(F, out, oOff + j).mul(inv).intoArray(out, oOff + j);
        for (; j < n; j++) out[oOff + j] *= inv;
    }

    /** Log-softmax of one row; same contract as {@link #softmaxRow}. */
    public static void logSoftmaxRow(float[] x, int xOff, float[] out, int oOff, int n) {
        float max = rowMax(x, xOff, n);
        if (max == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(out, oOff, oOff + n, Float.NEGATIVE_INFINITY);
            return;
        }
        FloatVector vmax = FloatVector.broadcast(F, max);
        float logSum = (float) Math.log(Simd.sumExp(x, xOff, n, max));   // the same bits as softmaxRow's sum
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L)   // (x - max) - logSum, the reference's order
            FloatVector.fromArray(F, x, xOff + j).sub(vmax).sub(logSum).intoArray(out, oOff + j);
        for (; j < n; j++) out[oOff + j] = (x[xOff + j] - max) - logSum;
    }

    /** Max of x[off, off+n): lanewise max over the row, one reduction (max is exact in any order). */
    private static float rowMax(float[] x, int off, int n) {
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) vmax = vmax.max(FloatVector.fromArray(F, x, off + j));
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) max = Math.max(max, x[off + j]);
        return max;
    }
}
