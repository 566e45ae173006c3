// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.OpenClMatMul;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix multiply: C[M,N] = op(A)[M,K] · op(B)[K,N], optionally added to C.
 *
 * <p>Three layouts cover forward and backward without materialising a transpose:
 * {@code nn} (A·B), {@code tn} (Aᵀ·B: A stored [K,M], e.g. dW = Xᵀ·dY) and {@code nt} (A·Bᵀ: B
 * stored [N,K], e.g. Y = X·Wᵀ with weights [out,in]). {@link #matmulScalar} is the definition;
 * {@link #matmul} is the fast version and must agree with it.
 *
 * <p>The fast version is a packed (Goto/BLIS-style) GEMM, measured in docs/performance.md:
 * <ol>
 *   <li>K is cut into blocks of {@link #KC}; for each block, B is copied ("packed") into panels
 *       of NR columns laid out k-major, zero-padded to a full panel. Packing is where the three
 *       layouts differ; everything after it is the same code.</li>
 *   <li>Rows of A are cut into blocks of MC and packed into slivers of MR rows, k-major.</li>
 *   <li>A micro-kernel keeps an MR x NR tile of C in registers for the whole K block: one B load
 *       feeds MR broadcast-FMAs. This register blocking is the step that matters most (3-4x).</li>
 * </ol>
 * Threads take disjoint ranges of row slivers. Every element of C is computed by one micro-kernel
 * call per K block, in the same order whichever thread runs it, so the result does not depend on
 * the thread count.
 */
public final class MatMul {
    private MatMul() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /**
     * Rows per micro-kernel tile. 16 accumulators (8 x 2 vectors) suit 32 vector registers
     * (AVX-512, NEON); with 16 registers (AVX2) they spill and 8 x 2 halves, so 4 x 2 is used.
     * Override with {@code -Djaye.gemm.mr=4|8}.
     */
    static final int MR = chooseMr();
    /** Columns per tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * Depth of a K block: a deep K loop amortises loading and storing the C tile. Measured on Zen 5
     * (1024³, 2 threads): 1024 gives 86% of the FMA peak, 512 gives 76%. With rows 4 KB apart
     * (N = 1024) the 8 rows of a C tile fall in one L1 set, so every extra pass over C costs
     * conflict misses; fewer K blocks mean fewer passes.
     */
    static final int KC = Integer.getInteger("jaye.gemm.kc", 1024);
    /** Rows of A packed at once (a multiple of MR); hardly matters between 48 and 384. */
    static final int MC = Integer.getInteger("jaye.gemm.mc", 192) / MR * MR;

    /** Lanes [0, MR) of a vector, for packing Aᵀ two slivers at a time. */
    private static final VectorMask<Float> LOW_HALF = F.indexInRange(0, MR);

    private static int chooseMr() {
        int mr = Integer.getInteger("jaye.gemm.mr", F.vectorBitSize() == 256 ? 4 : 8);
        if (mr != 4 && mr != 8) throw new IllegalArgumentException("-Djaye.gemm.mr must be 4 or 8, got " + mr);
        return mr;
    }

    // ---------------------------------------------------------------- the definition

    /**
     * The reference: a triple loop, summing over k in order in float. C[i,j] = Σ_k A[i,k]·B[k,j]
     * (+ C[i,j] when {@code accumulate}). A is [M,K] or, with {@code transA}, [K,M]; B is [K,N]
     * or, with {@code transB}, [N,K]. All row-major, starting at the given offsets.
     */
    public static void matmulScalar(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                                    int M, int N, int K, boolean transA, boolean transB, boolean accumulate) {
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                float s = 0f;
                for (int k = 0; k < K; k++) {
                    float av = transA ? a[aOff + k * M + i] : a[aOff + i * K + k];
                    float bv = transB ? b[bOff + j * K + k] : b[bOff + k * N + j];
                    s += av * bv;
                }
                c[cOff + i * N + j] = accumulate ? c[cOff + i * N + j] + s : s;
            }
        }
    }

    // ---------------------------------------------------------------- entry points

    /** C (+)= op(A)·op(B), on all threads when it is big enough. Same arguments as {@link #matmulScalar}. */
    public static void matmul(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                              int M, int N, int K, boolean transA, boolean transB, boolean accumulate) {
        if (K > 0 && Backend.offload("matmul", (long) M * N * K)
                && Backend.ran("matmul", d -> OpenClMatMul.matmul(a, aOff, b, bOff, c, cOff, M, N, K, transA, transB, accumulate, d))) return;
        if (!Simd.ENABLED) {
            matmulScalar(a, aOff, b, bOff, c, cOff, M, N, K, transA, transB, accumulate);
            return;
        }
        if (K == 0) {
            if (!accumulate) java.util.Arrays.fill(c, cOff, cOff + M * N, 0f);
            return;
        }
        gemm(a, aOff, b, bOff, c, cOff, M, N, K, transA, transB, accumulate);
    }

    /**
     * {@code batch} independent products; operand i starts at {@code off + i * stride} (a stride of
     * 0 broadcasts one operand over the batch). Small products (attention heads) run one per
     * thread; large ones one after another, each on all threads.
     */
    public static void batched(int batch, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                               float[] c, int cOff, int cStride, int M, int N, int K,
                               boolean transA, boolean transB, boolean accumulate) {
        long work = (long) M * N * Math.max(K, 1);
        if (batch > 1 && work < 4 * Parallel.MIN_WORK_PER_THREAD) {
            Parallel.forRange(batch, work, (i0, i1) -> {
                for (int i = i0; i < i1; i++)
                    matmul(a, aOff + i * aStride, b, bOff + i * bStride, c, cOff + i * cStride, M, N, K, transA, transB, accumulate);
            });
        } else {
            for (int i = 0; i < batch; i++)
                matmul(a, aOff + i * aStride, b, bOff + i * bStride, c, cOff + i * cStride, M, N, K, transA, transB, accumulate);
        }
    }

    // ---------------------------------------------------------------- packed GEMM

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private static float[] scratch(int which, int n) {
        float[][] s = SCRATCH.get();
        if (s[which].length < n) s[which] = new float[n];
        return s[which];
    }

    private static void gemm(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                             int M, int N, int K, boolean transA, boolean transB, boolean accumulate) {
        int panels = (N + NR - 1) / NR, slivers = (M + MR - 1) / MR;
        float[] prepacked = PackedWeights.lookup(b, bOff, N, K, transB);
        float[] bp = prepacked != null ? prepacked : scratch(0, panels * NR * Math.min(K, KC));
        for (int p0 = 0; p0 < K; p0 += KC) {
            int kc = Math.min(KC, K - p0), pk = p0;
            int bBase = prepacked != null ? p0 * panels * NR : 0;       // a prepacked B holds every K block
            boolean add = accumulate || p0 > 0;
            if (prepacked == null)
                Parallel.forRange(panels, (long) kc * NR * 4, (q0, q1) -> packB(b, bOff, transB, N, K, pk, kc, q0, q1, bp, 0));
            Parallel.forRange(slivers, (long) MR * N * kc, (s0, s1) -> {
                float[] ap = scratch(1, MC * kc), tile = scratch(2, MR * NR);
                for (int s = s0; s < s1; s += MC / MR) {
                    int sEnd = Math.min(s1, s + MC / MR);
                    packA(a, aOff, transA, M, K, s, sEnd, pk, kc, ap);
                    for (int q = 0; q < panels; q++) {
                        int j0 = q * NR, cols = Math.min(NR, N - j0);
                        for (int t = s; t < sEnd; t++) {
                            int i0 = t * MR, rows = Math.min(MR, M - i0);
                            int ao = (t - s) * MR * kc, bo = bBase + q * NR * kc;
                            if (MR == 8) kernel8x2(kc, ap, ao, bp, bo, tile);
                            else kernel4x2(kc, ap, ao, bp, bo, tile);
                            storeTile(tile, c, cOff + i0 * N + j0, N, rows, cols, add);
                        }
                    }
                }
            });
        }
    }

    /**
     * B packed in full (every K block; block p0 starts at p0·panels·NR), as {@link #gemm} would
     * pack it call by call: for weights that serve many calls unchanged (see {@link PackedWeights}).
     */
    static float[] packAll(float[] b, int bOff, int N, int K, boolean transB) {
        int panels = (N + NR - 1) / NR;
        float[] bp = new float[panels * NR * K];
        for (int p0 = 0; p0 < K; p0 += KC) {
            int kc = Math.min(KC, K - p0), pk = p0;
            Parallel.forRange(panels, (long) kc * NR * 4, (q0, q1) -> packB(b, bOff, transB, N, K, pk, kc, q0, q1, bp, pk * panels * NR));
        }
        return bp;
    }

    /** Packs rows [s0·MR, s1·MR) of op(A), columns [p0, p0+kc), into slivers: ap[(t·kc + p)·MR + r]. */
    private static void packA(float[] a, int aOff, boolean transA, int M, int K, int s0, int s1, int p0, int kc, float[] ap) {
        for (int t = s0; t < s1; t++) {
            int base = (t - s0) * MR * kc, i0 = t * MR, rows = Math.min(MR, M - i0);
            if (transA && L == 2 * MR && t + 1 < s1 && i0 + 2 * MR <= M) {
                // One vector of a row of Aᵀ spans two slivers: its low half goes to sliver t, its
                // high half to sliver t+1 (masked stores), twice as fast as copying floats.
                int next = base + MR * kc;
                for (int p = 0; p < kc; p++) {
                    FloatVector v = FloatVector.fromArray(F, a, aOff + (p0 + p) * M + i0);
                    v.intoArray(ap, base + p * MR, LOW_HALF);
                    v.intoArray(ap, next + p * MR - MR, LOW_HALF.not());
                }
                t++;
            } else if (transA) {                                       // A stored [K,M]: MR rows of A are contiguous
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * M + i0, dst = base + p * MR;
                    if (rows == MR) {
                        for (int r = 0; r < MR; r++) ap[dst + r] = a[src + r];  // constant trip count: unrolled
                    } else {
                        for (int r = 0; r < MR; r++) ap[dst + r] = r < rows ? a[src + r] : 0f;  // zero rows pad
                    }
                }
            } else {                                            // A stored [M,K]: read each row along k
                for (int r = 0; r < MR; r++) {
                    if (r >= rows) {
                        for (int p = 0; p < kc; p++) ap[base + p * MR + r] = 0f;
                    } else {
                        int row = aOff + (i0 + r) * K + p0;
                        for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[row + p];
                    }
                }
            }
        }
    }

    /** Packs panels [q0, q1) of NR columns of op(B), rows [p0, p0+kc), into bp[at + (q·kc + p)·NR + j]. */
    private static void packB(float[] b, int bOff, boolean transB, int N, int K, int p0, int kc, int q0, int q1, float[] bp, int at) {
        for (int q = q0; q < q1; q++) {
            int j0 = q * NR, cols = Math.min(NR, N - j0), base = at + q * NR * kc;
            if (transB) {                                       // B stored [N,K]: B(p,j) = b[j·K + p]
                for (int j = 0; j < NR; j++) {
                    if (j < cols) {
                        int col = bOff + (j0 + j) * K + p0;
                        for (int p = 0; p < kc; p++) bp[base + p * NR + j] = b[col + p];
                    } else {
                        for (int p = 0; p < kc; p++) bp[base + p * NR + j] = 0f;
                    }
                }
            } else if (cols == NR) {                            // B stored [K,N]: a row is two vectors
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * N + j0, dst = base + p * NR;
                    FloatVector.fromArray(F, b, src).intoArray(bp, dst);
                    FloatVector.fromArray(F, b, src + L).intoArray(bp, dst + L);
                }
            } else {                                            // the last, ragged panel
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * N + j0, dst = base + p * NR;
                    for (int j = 0; j < NR; j++) bp[dst + j] = j < cols ? b[src + j] : 0f;
                }
            }
        }
    }

    /** C tile (+)= tile, for the valid rows x cols; whole vectors where a row is full. */
    private static void storeTile(float[] tile, float[] c, int co, int ldc, int rows, int cols, boolean add) {
        for (int r = 0; r < rows; r++) {
            int dst = co + r * ldc, src = r * NR, j = 0;
            for (; j + L <= cols; j += L) {
                FloatVector v = FloatVector.fromArray(F, tile, src + j);
                if (add) v = v.add(FloatVector.fromArray(F, c, dst + j));
                v.intoArray(c, dst + j);
            }
            for (; j < cols; j++) c[dst + j] = add ? tile[src + j] + c[dst + j] : tile[src + j];
        }
    }

    /**
     * The 8 x 2 micro-kernel: tile[8, NR] = Σ_p ap[p,0..8)ᵀ · bp[p,0..NR). Same sum as the
     * reference, but 16 vector accumulators stay in registers over the whole K block and each B
     * vector is loaded once for 8 FMAs. Kept as one flat method: a helper that takes or returns a
     * FloatVector and is not inlined boxes it (~12x slower).
     */
    private static void kernel8x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F), c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F), c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR, ai = ao + p * 8;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi), b1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, ap[ai + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, ap[ai + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(F, ap[ai + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(F, ap[ai + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR); c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR); c71.intoArray(tile, 7 * NR + L);
    }

    /** The 4 x 2 micro-kernel for 16-register ISAs (AVX2): 8 accumulators, otherwise as 8 x 2. */
    private static void kernel4x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR, ai = ao + p * 4;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi), b1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
    }
}
