// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD switch, read once at start-up, and the vector math every kernel shares.
 *
 * <p>{@code -Djaye.simd=false} runs every kernel on its scalar reference, so any run can be
 * repeated on the definition. The species is {@code SPECIES_PREFERRED} and is held in a
 * {@code static final} field: a species the JIT cannot constant-fold makes Vector API code ~30x
 * slower (docs/performance.md), and a hard-coded 512-bit species falls off a cliff on AVX2.
 * {@code -Djaye.simd.bits=128|256|512} picks another width (a width the CPU lacks runs, slowly,
 * in Java): the tests use it to check that every width gives the same bits.
 *
 * <h2>The same bits at every vector width</h2>
 * A run must give the same numbers on an AVX2 laptop (8 floats per vector), an AVX-512 server
 * (16) and an ARM Mac (4; ARM itself is untested, docs/performance.md says why). Element-wise work is the same lane by lane; what the width could
 * change is where the scalar tail of a row starts and how a sum is split into partial sums. So:
 * <ul>
 *   <li>A sum over a row keeps {@link #W} = 16 partial sums whatever the width: element i goes
 *       into partial i mod 16, in order, and the partials are added 0 to 15 at the end
 *       ({@link #sum}, {@link #sumSquaredDeviations}, {@link #sumExp}, {@link #dot}). One
 *       16-float vector, two of 8 or four of 4 hold the same 16 numbers.</li>
 *   <li>A tail (the elements after the last whole vector or block) takes the same operations as
 *       a lane: the same fused multiply-add, and exp or tanh computed by the vector code on a
 *       masked or padded vector, never by {@link Math}.</li>
 * </ul>
 * The products sum each element over k one fused multiply-add at a time, in k order, which no
 * width changes. {@code WidthTest} runs every kernel at 128, 256 and 512 bits and compares the
 * bits.
 *
 * <h2>Why our own exp, log, tanh and sums</h2>
 * The Vector API's {@code lanewise(EXP/LOG/TANH)} and {@code reduceLanes(ADD)} give different bits
 * before and after the JIT compiles a loop (measured on JDK 25: the interpreter calls Math.exp per
 * lane and sums lanes in order; C2 calls a vector math library and sums as a tree). Compilation
 * happens at a moment that depends on timing, so a run would not repeat itself bit for bit, and a
 * resumed training run would drift from an uninterrupted one. The functions below use only +, ×,
 * fma, min/max, compares and bit moves, each a correctly rounded IEEE operation in every tier: the
 * same input gives the same bits on the first call and the millionth. They are the Cephes
 * single-precision algorithms (S. Moshier), within 2-3 ulp of {@link Math} (SimdTest checks it).
 */
public final class Simd {
    private Simd() {}

    /** The float species of this CPU (16 lanes with AVX-512, 8 with AVX2, 4 with NEON). */
    public static final VectorSpecies<Float> F = species(System.getProperty("jaye.simd.bits"));
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final int L = F.length();

    /**
     * Partial sums per row reduction, whatever the vector width (the class comment): a multiple of
     * every width used, 16 floats, so that AVX-512 holds them in one vector.
     */
    public static final int W = 16;

    private static VectorSpecies<Float> species(String bits) {
        if (bits == null) {
            VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
            if (preferred.length() > W) return FloatVector.SPECIES_512;            // wider SVE: 16 lanes
            return preferred.length() < 4 ? FloatVector.SPECIES_128 : preferred;   // the sums need 4 lanes or more
        }
        return switch (bits.trim()) {
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("-Djaye.simd.bits must be 128, 256 or 512, got '" + bits + "'");
        };
    }

    /** False when {@code -Djaye.simd=false}: kernels dispatch to their scalar reference. */
    public static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("jaye.simd", "true"));

    /** One line for logs and benchmarks: what the kernels run on. */
    public static String describe() {
        return ENABLED ? "Vector API, " + F.vectorBitSize() + "-bit (" + F.length() + " floats), gemm "
                + MatMul.MR + "x" + MatMul.NR : "scalar reference kernels (-Djaye.simd=false)";
    }

    /**
     * What decides the bits of a result: the same for every vector width, different for the
     * scalar reference kernels (their sums run in another order). Machines that share a run must
     * agree on it.
     */
    public static String numerics() {
        return ENABLED ? "vector kernels, " + W + " partial sums per row" : "scalar reference kernels";
    }

    /**
     * Vectors per block of {@link #W} floats: 1 with AVX-512, 2 with AVX2, 4 with NEON. The sums
     * below each write their accumulators out in the same few lines: a helper taking the vectors
     * was measured not to inline everywhere (-XX:+PrintInlining: "callee is too large",
     * NodeCountInliningCutoff), and a vector passed to a call that is not inlined is boxed.
     */
    private static final int V = W / L;

    /**
     * Σ x[off, off + n) in {@link #W} partial sums: element i goes into partial i mod W, in order,
     * and the partials are added 0 to W - 1 ({@link #sumPartials}). Blocks of W elements are V
     * vectors, vector k of a block into accumulator k, so the accumulators hold partials 0..W-1
     * at any width (V is a constant, so the JIT drops the branches for accumulators this width
     * does not use); the tail after the last whole block is added element by element into its
     * partial, the same addition a lane makes.
     */
    public static float sum(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + W <= n; i += W) {
            a0 = a0.add(FloatVector.fromArray(F, x, off + i));
            if (V > 1) a1 = a1.add(FloatVector.fromArray(F, x, off + i + L));
            if (V > 2) {
                a2 = a2.add(FloatVector.fromArray(F, x, off + i + 2 * L));
                a3 = a3.add(FloatVector.fromArray(F, x, off + i + 3 * L));
            }
        }
        float[] part = new float[W];
        a0.intoArray(part, 0);
        if (V > 1) a1.intoArray(part, L);
        if (V > 2) {
            a2.intoArray(part, 2 * L);
            a3.intoArray(part, 3 * L);
        }
        for (; i < n; i++) part[i % W] += x[off + i];
        return sumPartials(part);
    }

    /**
     * Σ (x[i] − m)² over x[off, off + n), one fused multiply-add per term, in W partial sums as
     * {@link #sum}. With m = 0 it is Σ x² (x − 0 is x exactly).
     */
    public static float sumSquaredDeviations(float[] x, int off, int n, float m) {
        FloatVector vm = FloatVector.broadcast(F, m), a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + W <= n; i += W) {
            FloatVector d0 = FloatVector.fromArray(F, x, off + i).sub(vm);
            a0 = d0.fma(d0, a0);
            if (V > 1) {
                FloatVector d1 = FloatVector.fromArray(F, x, off + i + L).sub(vm);
                a1 = d1.fma(d1, a1);
            }
            if (V > 2) {
                FloatVector d2 = FloatVector.fromArray(F, x, off + i + 2 * L).sub(vm);
                FloatVector d3 = FloatVector.fromArray(F, x, off + i + 3 * L).sub(vm);
                a2 = d2.fma(d2, a2);
                a3 = d3.fma(d3, a3);
            }
        }
        float[] part = new float[W];
        a0.intoArray(part, 0);
        if (V > 1) a1.intoArray(part, L);
        if (V > 2) {
            a2.intoArray(part, 2 * L);
            a3.intoArray(part, 3 * L);
        }
        for (; i < n; i++) {
            float d = x[off + i] - m;
            part[i % W] = Math.fma(d, d, part[i % W]);
        }
        return sumPartials(part);
    }

    /**
     * Σ exp(x[i] − shift) over x[off, off + n), exp by {@link #exp}, in W partial sums as {@link
     * #sum}. The elements after the last whole block go through the same exp on masked vectors
     * (a scalar Math.exp would give other bits), each into its own partials.
     */
    public static float sumExp(float[] x, int off, int n, float shift) {
        FloatVector vs = FloatVector.broadcast(F, shift), a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + W <= n; i += W) {
            a0 = a0.add(exp(FloatVector.fromArray(F, x, off + i).sub(vs)));
            if (V > 1) a1 = a1.add(exp(FloatVector.fromArray(F, x, off + i + L).sub(vs)));
            if (V > 2) {
                a2 = a2.add(exp(FloatVector.fromArray(F, x, off + i + 2 * L).sub(vs)));
                a3 = a3.add(exp(FloatVector.fromArray(F, x, off + i + 3 * L).sub(vs)));
            }
        }
        float[] part = new float[W];
        a0.intoArray(part, 0);
        if (V > 1) a1.intoArray(part, L);
        if (V > 2) {
            a2.intoArray(part, 2 * L);
            a3.intoArray(part, 3 * L);
        }
        for (; i < n; i += L) {
            VectorMask<Float> in = F.indexInRange(i, n);
            FloatVector e = exp(FloatVector.fromArray(F, x, off + i, in).sub(vs)).blend(0f, in.not());
            FloatVector.fromArray(F, part, i % W).add(e).intoArray(part, i % W);
        }
        return sumPartials(part);
    }

    /** Σ a[ao + i]·b[bo + i] for i < n, one fused multiply-add per term, in W partial sums as {@link #sum}. */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + W <= n; i += W) {
            a0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), a0);
            if (V > 1) a1 = FloatVector.fromArray(F, a, ao + i + L).fma(FloatVector.fromArray(F, b, bo + i + L), a1);
            if (V > 2) {
                a2 = FloatVector.fromArray(F, a, ao + i + 2 * L).fma(FloatVector.fromArray(F, b, bo + i + 2 * L), a2);
                a3 = FloatVector.fromArray(F, a, ao + i + 3 * L).fma(FloatVector.fromArray(F, b, bo + i + 3 * L), a3);
            }
        }
        float[] part = new float[W];
        a0.intoArray(part, 0);
        if (V > 1) a1.intoArray(part, L);
        if (V > 2) {
            a2.intoArray(part, 2 * L);
            a3.intoArray(part, 3 * L);
        }
        for (; i < n; i++) part[i % W] = Math.fma(a[ao + i], b[bo + i], part[i % W]);
        return sumPartials(part);
    }

    /** Σ of the W partial sums, in index order: the same bits in every JIT tier and at every width. */
    static float sumPartials(float[] part) {
        float s = 0f;
        for (int p = 0; p < W; p++) s += part[p];
        return s;
    }

    // ---------------------------------------------------------------- exp

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;                // ln 2 = LN2_HI + LN2_LO; LN2_HI has 9 bits,
    private static final float LN2_LO = -2.12194440e-4f;             // so n·LN2_HI is exact
    private static final float SHIFTER = 0x1.8p23f;                  // t + 1.5·2^23 rounds t to an integer
    private static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    private static final float EXP_MIN = -87.33654f;                 // ln 2^-126: below, e^x is subnormal
    private static final float EXP_MAX = 88.72283f;                  // above, e^x overflows float

    /**
     * e^x: 2^n · e^r with n = round(x·log2 e) and |r| ≤ ln2/2, e^r by a degree-7 polynomial.
     * Results below 2^-126 are flushed to 0 (so e^-inf = 0 exactly); above float's range, +inf;
     * NaN stays NaN.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = xc.mul(LOG2E).add(SHIFTER);                  // n sits in t's low mantissa bits
        FloatVector n = t.sub(SHIFTER);                              // n = round(x·log2 e), as a float
        FloatVector r = xc.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));   // r = x − n·ln 2, |r| ≤ ln2/2
        FloatVector y = r.fma(1.9875691500e-4f, 1.3981999507e-3f);   // Horner, as Cephes writes it
        y = y.mul(r).add(8.3334519073e-3f);
        y = y.mul(r).add(4.1665795894e-2f);
        y = y.mul(r).add(1.6666665459e-1f);
        y = y.mul(r).add(5.0000001201e-1f);
        y = y.fma(r.mul(r), r).add(1f);                              // e^r ≈ 1 + r + r²·y(r)
        // 2^n from exponent bits, as 2^(n/2)·2^(n−n/2): n runs from −126 to 128, and each half
        // stays a normal float, where one factor 2^n would not at the ends.
        IntVector ni = t.reinterpretAsInts().sub(SHIFTER_BITS);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1), n2 = ni.sub(n1);
        FloatVector p1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector p2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector e = y.mul(p1).mul(p2);
        return e.blend(0f, x.compare(VectorOperators.LT, EXP_MIN))
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
    }

    // ---------------------------------------------------------------- log

    private static final float SQRTHF = 0.707106781186547524f;

    /**
     * ln x: x = m·2^e with m in [√½, √2), ln x = e·ln 2 + ln m, ln m by a degree-9 polynomial
     * in m − 1. ln 0 = −inf, ln of a negative number or NaN = NaN, ln +inf = +inf; subnormal x is
     * scaled by 2^23 first.
     */
    public static FloatVector log(FloatVector x) {
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(0x1p23f), tiny);
        IntVector bits = xs.reinterpretAsInts();
        IntVector ebits = bits.lanewise(VectorOperators.LSHR, 23).sub(126);     // x = m·2^e, m in [0.5, 1)
        FloatVector e = ebits.convert(VectorOperators.I2F, 0).reinterpretAsFloats();
        e = e.blend(e.sub(23f), tiny);
        FloatVector m = bits.and(0x807FFFFF).or(0x3F000000).reinterpretAsFloats();
        VectorMask<Float> small = m.compare(VectorOperators.LT, SQRTHF);       // move m into [√½, √2)
        e = e.blend(e.sub(1f), small);
        FloatVector f = m.blend(m.add(m), small).sub(1f);
        FloatVector z = f.mul(f);
        FloatVector y = f.fma(7.0376836292e-2f, -1.1514610310e-1f);
        y = y.mul(f).add(1.1676998740e-1f);
        y = y.mul(f).add(-1.2420140846e-1f);
        y = y.mul(f).add(1.4249322787e-1f);
        y = y.mul(f).add(-1.6668057665e-1f);
        y = y.mul(f).add(2.0000714765e-1f);
        y = y.mul(f).add(-2.4999993993e-1f);
        y = y.mul(f).add(3.3333331174e-1f);
        y = y.mul(f).mul(z);
        y = y.add(e.mul(LN2_LO));
        y = y.sub(z.mul(0.5f));
        FloatVector r = f.add(y).add(e.mul(LN2_HI));
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        r = r.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        return r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.compare(VectorOperators.NE, x)));
    }

    // ---------------------------------------------------------------- tanh

    /**
     * tanh x: for |x| < 0.625 an odd polynomial (1 − 2/(e^2x + 1) would cancel there); above,
     * 1 − 2/(e^2|x| + 1) with the sign put back. Large |x| gives ±1; NaN stays NaN.
     */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(-5.70498872745e-3f, 2.06390887954e-2f);
        p = p.mul(z).add(-5.37397155531e-2f);
        p = p.mul(z).add(1.33314422036e-1f);
        p = p.mul(z).add(-3.33332819422e-1f);
        FloatVector near0 = p.mul(z).fma(x, x);                        // x + x³·p(x²)
        FloatVector far = exp(a.add(a)).add(1f);
        far = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(far));
        far = far.blend(far.neg(), x.compare(VectorOperators.LT, 0f));
        return far.blend(near0, a.compare(VectorOperators.LT, 0.625f).or(x.compare(VectorOperators.NE, x)));
    }
}
