// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.OpenClElementwise;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Element-wise ops: unary (exp, gelu, ...), x^p, and binary ops with NumPy broadcasting.
 *
 * <p>Each op has three layers: {@code unaryScalar(op, x)} / {@code binaryScalar(op, a, b)} define
 * it on one value; the array {@code *Scalar} methods are the reference loops; {@link #unary},
 * {@link #pow} and {@link #binary} are the fast versions (Vector API, several threads) that tests
 * hold against the reference.
 *
 * <p>Legend: n = element count, L = floats per vector ({@code Simd.F.length()}), m = length of a
 * contiguous run after coalescing broadcast dimensions, "row" = one such run.
 *
 * <p>Exactness: the binary ops and NEG, SQRT, RSQRT, RELU, ABS, SQUARE are single IEEE operations
 * (or a fixed sequence of them), so vector and scalar give the same bits. EXP, LOG, TANH (and
 * SIGMOID, SILU, GELU, built on them) use {@link Simd}'s polynomial versions, within a few ulp
 * of {@link Math} and, unlike the Vector API's own, bit-for-bit the same in every JIT tier. A
 * run's last elements, short of a whole vector, go through the same vector code on a padded
 * copy, so every element gets the same bits at any vector width.
 *
 * <p>Threads: work is cut into chunks of {@link #CHUNK} elements, a multiple of L, so each element
 * takes the same path (vector body or tail) for any thread count: results do not depend
 * on the number of threads.
 *
 * <p>Device: with an OpenCL device chosen, {@link #unary} sends GELU and SiLU, and {@link #binary}
 * add, subtract and multiply of equal shapes, to it from {@code Backend.minWork()} elements on
 * ({@code OpenClElementwise}).
 */
public final class Elementwise {
    private Elementwise() {}

    /** Unary ops. GELU is the tanh form of docs/model.md. */
    public enum Unary { NEG, EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, RELU, GELU, SILU, ABS, SQUARE }

    /** Binary ops; comparisons give 1 for true and 0 for false. */
    public enum Binary { ADD, SUB, MUL, DIV, MAX, MIN, EQ, NE, LT, LE, GT, GE }

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /** Elements per parallel work item: a multiple of every vector length, ~16 KB per array. */
    static final int CHUNK = 4096;

    /** √(2/π) and the cubic coefficient of GELU's tanh form (ActivationGrad's backward uses them too). */
    static final float GELU_C = (float) Math.sqrt(2.0 / Math.PI);
    static final float GELU_K = 0.044715f;

    // ---------------------------------------------------------------- unary: the definition

    /**
     * The definition of each unary op on one value. Transcendentals go through double {@link Math}
     * and are rounded once to float; everything else is float arithmetic in the order written,
     * which the vector version repeats operation for operation.
     */
    public static float unaryScalar(Unary op, float x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> 1f / (float) Math.sqrt(x);
            case TANH -> (float) Math.tanh(x);
            // 1/(1+e^-x) never divides inf by inf: e^-x overflows to inf for x << 0 and gives 0,
            // underflows to 0 for x >> 0 and gives 1. (The form e^x/(1+e^x) is NaN at x = 100.)
            case SIGMOID -> 1f / (1f + (float) Math.exp(-x));
            // Math.max, not x > 0 ? x : 0: a NaN stays NaN, so it is seen downstream.
            case RELU -> Math.max(x, 0f);
            case GELU -> {
                float t = (float) Math.tanh(GELU_C * (GELU_K * x * x * x + x));
                yield 0.5f * x * (1f + t);
            }
            // x·sigmoid(x) written as one division; x/(1+e^-x) is -0 (not NaN) at x = -100.
            case SILU -> x / (1f + (float) Math.exp(-x));
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
        };
    }

    /** out[outOff + i] = op(x[xOff + i]) for i in [0, n): the reference loop. */
    public static void unaryScalar(Unary op, float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = unaryScalar(op, x[xOff + i]);
    }

    // ---------------------------------------------------------------- unary: fast

    /** Same as {@link #unaryScalar(Unary, float[], int, float[], int, int)}, Vector API, multithreaded when large. */
    public static void unary(Unary op, float[] x, int xOff, float[] out, int outOff, int n) {
        if ((op == Unary.GELU || op == Unary.SILU) && Backend.offload(op.name(), n)      // the activations the device has
                && Backend.ran(op.name(), d -> OpenClElementwise.unary(op, x, xOff, out, outOff, n, d))) return;
        if (!Simd.ENABLED) {
            unaryScalar(op, x, xOff, out, outOff, n);
            return;
        }
        Parallel.forRange(chunks(n), (long) CHUNK * cost(op), (c0, c1) -> {
            int from = c0 * CHUNK, to = Math.min(n, c1 * CHUNK);
            unaryRun(op, x, xOff + from, out, outOff + from, to - from);
        });
    }

    /**
     * One contiguous run: the vector body, one method per op, then the tail through the same body.
     *
     * <p>Why a method per op (measured, not style): with every op's loop in one method, the JIT
     * compiles the loops of ops that have not run yet as cold code, leaving the Vector API calls
     * in them un-inlined, so each vector is boxed: 10-100x slower, and it stays that way. A
     * method per op is compiled from its own profile once it is hot. A switch inside a single
     * loop was slower still (no unrolling around a jump table and math-library calls).
     */
    private static void unaryRun(Unary op, float[] x, int xo, float[] out, int oo, int n) {
        int bound = F.loopBound(n);
        switch (op) {
            case NEG -> neg(x, xo, out, oo, bound);
            case EXP -> exp(x, xo, out, oo, bound);
            case LOG -> log(x, xo, out, oo, bound);
            case SQRT -> sqrt(x, xo, out, oo, bound);
            case RSQRT -> rsqrt(x, xo, out, oo, bound);
            case TANH -> tanh(x, xo, out, oo, bound);
            case SIGMOID -> sigmoid(x, xo, out, oo, bound);
            case RELU -> relu(x, xo, out, oo, bound);
            case GELU -> gelu(x, xo, out, oo, bound);
            case SILU -> silu(x, xo, out, oo, bound);
            case ABS -> abs(x, xo, out, oo, bound);
            case SQUARE -> square(x, xo, out, oo, bound);
        }
        if (bound < n) {
            // The tail goes through the same vector body, on a copy padded to one whole vector:
            // Simd.exp and Math.exp differ in the last bits, and where the tail starts depends on
            // the vector width, so a scalar tail would make the bits depend on the CPU.
            float[] in = new float[L], res = new float[L];
            System.arraycopy(x, xo + bound, in, 0, n - bound);
            unaryRun(op, in, 0, res, 0, L);
            System.arraycopy(res, 0, out, oo + bound, n - bound);
        }
    }

    // The vector bodies: n is a multiple of L. Each repeats its unaryScalar case operation for
    // operation (float arithmetic is not associative, so the order is part of the definition).
    private static void neg(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) ld(x, xo + i).neg().intoArray(out, oo + i);
    }

    private static void exp(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) Simd.exp(ld(x, xo + i)).intoArray(out, oo + i);
    }

    private static void log(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) Simd.log(ld(x, xo + i)).intoArray(out, oo + i);
    }

    private static void sqrt(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) ld(x, xo + i).sqrt().intoArray(out, oo + i);
    }

    private static void rsqrt(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) one.div(ld(x, xo + i).sqrt()).intoArray(out, oo + i);
    }

    private static void tanh(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) Simd.tanh(ld(x, xo + i)).intoArray(out, oo + i);
    }

    private static void sigmoid(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L)
            one.div(one.add(Simd.exp(ld(x, xo + i).neg()))).intoArray(out, oo + i);
    }

    private static void relu(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) ld(x, xo + i).max(0f).intoArray(out, oo + i);
    }

    private static void gelu(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) {
            FloatVector v = ld(x, xo + i);
            FloatVector t = Simd.tanh(v.mul(GELU_K).mul(v).mul(v).add(v).mul(GELU_C));
            v.mul(0.5f).mul(t.add(1f)).intoArray(out, oo + i);
        }
    }

    private static void silu(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            FloatVector v = ld(x, xo + i);
            v.div(one.add(Simd.exp(v.neg()))).intoArray(out, oo + i);
        }
    }

    private static void abs(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) ld(x, xo + i).abs().intoArray(out, oo + i);
    }

    private static void square(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += L) {
            FloatVector v = ld(x, xo + i);
            v.mul(v).intoArray(out, oo + i);
        }
    }

    /** A vector load; tiny, so it always inlines (a vector returned by a call that does not is boxed). */
    private static FloatVector ld(float[] a, int i) {
        return FloatVector.fromArray(F, a, i);
    }

    /** Rough cost of one element, in multiply-adds, for the parallel split. */
    private static int cost(Unary op) {
        return switch (op) {
            case NEG, RELU, ABS, SQUARE, SQRT, RSQRT -> Parallel.ELEMENT_WORK;
            default -> 2 * Parallel.ELEMENT_WORK;           // exp, log, tanh: compute as well as memory
        };
    }

    private static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    // ---------------------------------------------------------------- pow

    /** out[i] = x[i]^p: reference. Special values follow {@link Math#pow}. */
    public static void powScalar(float[] x, float p, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = (float) Math.pow(x[i], p);
    }

    /** out[i] = x[i]^p: fast version. p = 2 is a plain multiply (Math.pow(x, 2) is exactly x·x). */
    public static void pow(float[] x, float p, float[] out, int n) {
        if (!Simd.ENABLED) {
            powScalar(x, p, out, n);
            return;
        }
        if (p == 2f) {
            unary(Unary.SQUARE, x, 0, out, 0, n);
            return;
        }
        // Other exponents: Math.pow per element, on all threads. (lanewise(POW) would differ in the
        // last bit before and after JIT compilation; see Simd.) pow is rare in the models.
        Parallel.forRange(chunks(n), (long) CHUNK * 32, (c0, c1) -> {
            for (int i = c0 * CHUNK, to = Math.min(n, c1 * CHUNK); i < to; i++) out[i] = (float) Math.pow(x[i], p);
        });
    }

    // ---------------------------------------------------------------- binary: the definition

    /** The definition of each binary op on one pair of values. MAX/MIN follow Math.max/min (NaN wins, -0 < +0). */
    public static float binaryScalar(Binary op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            // Java comparisons: any comparison with NaN is false, except != which is true.
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
        };
    }

    /**
     * out = op(a, b) with NumPy broadcasting: {@code outShape} is the broadcast of {@code aShape}
     * and {@code bShape} (checked by the caller). Reference: one element at a time, an index
     * counter over outShape, and stride 0 along every axis an operand is broadcast on.
     */
    public static void binaryScalar(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) {
        int r = outShape.length, size = Shape.size(outShape);
        int[] as = Shape.broadcastStrides(aShape, outShape), bs = Shape.broadcastStrides(bShape, outShape);
        int[] idx = new int[r];
        for (int o = 0; o < size; o++) {
            int ai = 0, bi = 0;
            for (int d = 0; d < r; d++) {
                ai += idx[d] * as[d];
                bi += idx[d] * bs[d];
            }
            out[o] = binaryScalar(op, a[ai], b[bi]);
            for (int d = r - 1; d >= 0 && ++idx[d] == outShape[d]; d--) idx[d] = 0; // row-major odometer
        }
    }

    // ---------------------------------------------------------------- binary: fast

    /**
     * Same as {@link #binaryScalar(Binary, float[], int[], float[], int[], float[], int[])}, Vector
     * API along contiguous runs.
     *
     * <p>Adjacent axes are merged ("coalesced") when both operands step through them as one: then
     * [B, T, C] + [B, T, C] is a single run of B·T·C, and [B, T, C] + [C] is B·T runs of C where b
     * restarts each time. After merging, along the innermost axis each operand either moves by 1
     * (contiguous) or by 0 (one value repeated), which gives the three SIMD cases of {@link #run}.
     */
    public static void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) {
        // The device does add, subtract and multiply of equal shapes; a broadcast operand (a bias,
        // a scale) is small, and the CPU handles it for less than the copy would cost.
        if ((op == Binary.ADD || op == Binary.SUB || op == Binary.MUL) && Arrays.equals(aShape, outShape)
                && Arrays.equals(bShape, outShape) && Backend.offload(op.name(), Shape.size(outShape))
                && Backend.ran(op.name(), d -> OpenClElementwise.binary(op, a, aShape, b, bShape, out, outShape, d))) return;
        if (!Simd.ENABLED) {
            binaryScalar(op, a, aShape, b, bShape, out, outShape);
            return;
        }
        int size = Shape.size(outShape);
        if (size == 0) return;
        int[] as = Shape.broadcastStrides(aShape, outShape), bs = Shape.broadcastStrides(bShape, outShape);

        // Coalesce, innermost axis first: dim[k], sa[k], sb[k] with k = 0 the innermost.
        int r = outShape.length, k = 0;
        int[] dim = new int[r + 1], sa = new int[r + 1], sb = new int[r + 1];
        for (int d = r - 1; d >= 0; d--) {
            int len = outShape[d];
            if (len == 1) continue; // a size-1 axis moves nothing
            if (k > 0 && as[d] == sa[k - 1] * dim[k - 1] && bs[d] == sb[k - 1] * dim[k - 1]) {
                dim[k - 1] *= len; // this axis just continues the run below it, for both operands
                continue;
            }
            dim[k] = len;
            sa[k] = as[d];
            sb[k] = bs[d];
            k++;
        }
        if (k == 0) { // every axis has size 1 (rank 0 included): one element
            dim[0] = 1;
            k = 1;
        }

        int m = dim[0], rows = size / m, perRow = chunks(m), axes = k;
        Parallel.forRange(rows * perRow, (long) Math.min(m, CHUNK) * Parallel.ELEMENT_WORK, (it0, it1) -> {
            float[] rep = new float[2 * L];
            for (int it = it0; it < it1; it++) {
                int row = it / perRow, from = (it - row * perRow) * CHUNK, len = Math.min(CHUNK, m - from);
                // offsets of this row: decompose the row number over the outer merged axes
                int ao = 0, bo = 0;
                for (int q = 1, rest = row; q < axes; q++) {
                    int iq = rest % dim[q];
                    rest /= dim[q];
                    ao += iq * sa[q];
                    bo += iq * sb[q];
                }
                run(op, a, ao + from * sa[0], sa[0], b, bo + from * sb[0], sb[0], out, row * m + from, len, rep);
            }
        });
    }

    /**
     * One run of n outputs; each operand steps by 1 (contiguous) or by 0 (one value broadcast).
     *
     * <p>The three SIMD cases (both contiguous, a broadcast, b broadcast) share one loop: a
     * broadcast operand is read from {@code rep}, which holds L copies of its value, at an index
     * that does not move (stride 0). One method per op, as in {@link #unaryRun}. (A helper
     * {@code apply(op, x, y)} holding the switch, 250 bytes of bytecode, was also seen not to
     * inline at colder call sites: -XX:+PrintInlining said "callee is too large".)
     */
    private static void run(Binary op, float[] a, int ao, int sa, float[] b, int bo, int sb, float[] out, int oo, int n, float[] rep) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] av = a, bv = b;
            int ai = ao, bi = bo;
            if (sa == 0) {
                java.util.Arrays.fill(rep, 0, L, a[ao]);
                av = rep;
                ai = 0;
            }
            if (sb == 0) {
                java.util.Arrays.fill(rep, L, 2 * L, b[bo]);
                bv = rep;
                bi = L;
            }
            switch (op) {
                case ADD -> add(av, ai, sa, bv, bi, sb, out, oo, bound);
                case SUB -> sub(av, ai, sa, bv, bi, sb, out, oo, bound);
                case MUL -> mul(av, ai, sa, bv, bi, sb, out, oo, bound);
                case DIV -> div(av, ai, sa, bv, bi, sb, out, oo, bound);
                case MAX -> max(av, ai, sa, bv, bi, sb, out, oo, bound);
                case MIN -> min(av, ai, sa, bv, bi, sb, out, oo, bound);
                case EQ -> eq(av, ai, sa, bv, bi, sb, out, oo, bound);
                case NE -> ne(av, ai, sa, bv, bi, sb, out, oo, bound);
                case LT -> lt(av, ai, sa, bv, bi, sb, out, oo, bound);
                case LE -> le(av, ai, sa, bv, bi, sb, out, oo, bound);
                case GT -> gt(av, ai, sa, bv, bi, sb, out, oo, bound);
                case GE -> ge(av, ai, sa, bv, bi, sb, out, oo, bound);
            }
        }
        for (int i = bound; i < n; i++) out[oo + i] = binaryScalar(op, a[ao + i * sa], b[bo + i * sb]);
    }

    // The vector bodies: out[o + i] = a[ai + i·sa] op b[bi + i·sb], sa and sb in {0, 1}, n a multiple of L.
    private static void add(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        for (int i = 0; i < n; i += L) ld(a, ai + i * sa).add(ld(b, bi + i * sb)).intoArray(out, o + i);
    }

    private static void sub(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        for (int i = 0; i < n; i += L) ld(a, ai + i * sa).sub(ld(b, bi + i * sb)).intoArray(out, o + i);
    }

    private static void mul(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        for (int i = 0; i < n; i += L) ld(a, ai + i * sa).mul(ld(b, bi + i * sb)).intoArray(out, o + i);
    }

    private static void div(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        for (int i = 0; i < n; i += L) ld(a, ai + i * sa).div(ld(b, bi + i * sb)).intoArray(out, o + i);
    }

    private static void max(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        for (int i = 0; i < n; i += L) ld(a, ai + i * sa).max(ld(b, bi + i * sb)).intoArray(out, o + i);
    }

    private static void min(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        for (int i = 0; i < n; i += L) ld(a, ai + i * sa).min(ld(b, bi + i * sb)).intoArray(out, o + i);
    }

    // Comparisons: a lane mask, turned into 1 where set and 0 elsewhere.
    private static void eq(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < n; i += L)
            zero.blend(1f, ld(a, ai + i * sa).compare(VectorOperators.EQ, ld(b, bi + i * sb))).intoArray(out, o + i);
    }

    private static void ne(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < n; i += L)
            zero.blend(1f, ld(a, ai + i * sa).compare(VectorOperators.NE, ld(b, bi + i * sb))).intoArray(out, o + i);
    }

    private static void lt(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < n; i += L)
            zero.blend(1f, ld(a, ai + i * sa).compare(VectorOperators.LT, ld(b, bi + i * sb))).intoArray(out, o + i);
    }

    private static void le(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < n; i += L)
            zero.blend(1f, ld(a, ai + i * sa).compare(VectorOperators.LE, ld(b, bi + i * sb))).intoArray(out, o + i);
    }

    private static void gt(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < n; i += L)
            zero.blend(1f, ld(a, ai + i * sa).compare(VectorOperators.GT, ld(b, bi + i * sb))).intoArray(out, o + i);
    }

    private static void ge(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] out, int o, int n) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < n; i += L)
            zero.blend(1f, ld(a, ai + i * sa).compare(VectorOperators.GE, ld(b, bi + i * sb))).intoArray(out, o + i);
    }
}
