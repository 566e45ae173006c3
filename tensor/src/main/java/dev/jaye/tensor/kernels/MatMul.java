// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.OpenClMatMul;
import jdk.incubator.vector.FloatVector;
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
 *   <li>Rows of A are cut into blocks of MC, slivers of MR rows. A stored [M,K] is read where it
 *       lies: each of a sliver's rows is a stream along k. Aᵀ (stored [K,M]) and a ragged last
 *       sliver are copied into slivers of the same shape first. (Packing A k-major, as BLIS does,
 *       cost a tenth of an RL step for the model's K = 128 products: a strided scalar copy of
 *       every element for 128 multiply-adds each.)</li>
 *   <li>A micro-kernel keeps an MR x NR tile of C in registers for the whole K block: one B load
 *       feeds MR broadcast-FMAs. This register blocking is the step that matters most (3-4x). A
 *       full tile is then added to C from the registers; an edge tile goes through a scratch tile.</li>
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
                    // A stored [M,K] is read where it lies (row r of a sliver at a + (i0 + r)·K + p0,
                    // one float apart along k); only Aᵀ and a ragged last sliver are packed.
                    boolean inPlace = !transA;
                    if (!inPlace) packA(a, aOff, true, M, K, s, sEnd, pk, kc, ap);
                    else if (sEnd * MR > M) packA(a, aOff, false, M, K, sEnd - 1, sEnd, pk, kc, ap);   // at ap[0]
                    for (int q = 0; q < panels; q++) {
                        int j0 = q * NR, cols = Math.min(NR, N - j0);
                        for (int t = s; t < sEnd; t++) {
                            int i0 = t * MR, rows = Math.min(MR, M - i0);
                            boolean direct = inPlace && rows == MR;
                            float[] src = direct ? a : ap;
                            int ao = direct ? aOff + i0 * K + pk : inPlace ? 0 : (t - s) * MR * kc, bo = bBase + q * NR * kc;
                            int rs = direct ? K : kc;                            // row r of the sliver at ao + r·rs
                            boolean full = rows == MR && cols == NR;             // a full tile goes straight to C
                            int co = cOff + i0 * N + j0;
                            if (MR == 8) kernel8x2(kc, src, ao, rs, bp, bo, full ? c : tile, full ? co : 0, full ? N : NR, full && add);
                            else kernel4x2(kc, src, ao, rs, bp, bo, full ? c : tile, full ? co : 0, full ? N : NR, full && add);
                            if (!full) storeTile(tile, c, co, N, rows, cols, add);
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

    /**
     * Packs rows [s0·MR, s1·MR) of op(A), columns [p0, p0+kc), into slivers of MR rows, each row
     * kc floats long: ap[((t - s0)·MR + r)·kc + p]; rows past M are zeros.
     */
    private static void packA(float[] a, int aOff, boolean transA, int M, int K, int s0, int s1, int p0, int kc, float[] ap) {
        for (int t = s0; t < s1; t++) {
            int base = (t - s0) * MR * kc, i0 = t * MR, rows = Math.min(MR, M - i0);
            for (int r = 0; r < MR; r++) {
                int dst = base + r * kc;
                if (r >= rows) java.util.Arrays.fill(ap, dst, dst + kc, 0f);
                else if (!transA) System.arraycopy(a, aOff + (i0 + r) * K + p0, ap, dst, kc);
                else for (int p = 0; p < kc; p++) ap[dst + p] = a[aOff + (p0 + p) * M + i0 + r];   // A stored [K,M]
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
     * The 8 x 2 micro-kernel: C[8, NR] (+)= Σ_p A[0..8), p] ⊗ bp[p, 0..NR), row r of A at
     * {@code ap[ao + r·rs + p]}, the tile written to {@code c[co + r·ldc + j]} (added to it when
     * {@code add}). Same sum as the reference, but 16 vector accumulators stay in registers over
     * the whole K block and each B vector is loaded once for 8 FMAs. Each row's index is
     * (offset + p), which lets the JIT drop the bounds checks from the loop; a stride along p
     * would not. Kept as one flat method: a helper that takes or returns a FloatVector and is not
     * inlined boxes it (~12x slower).
     */
    private static void kernel8x2(int kc, float[] ap, int ao, int rs, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F), c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F), c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        int o0 = ao, o1 = ao + rs, o2 = ao + 2 * rs, o3 = ao + 3 * rs, o4 = ao + 4 * rs, o5 = ao + 5 * rs, o6 = ao + 6 * rs, o7 = ao + 7 * rs;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi), b1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[o0 + p]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[o1 + p]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[o2 + p]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[o3 + p]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, ap[o4 + p]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, ap[o5 + p]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(F, ap[o6 + p]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(F, ap[o7 + p]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(F, c, co)); c01 = c01.add(FloatVector.fromArray(F, c, co + L));
            c10 = c10.add(FloatVector.fromArray(F, c, co + ldc)); c11 = c11.add(FloatVector.fromArray(F, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(F, c, co + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(F, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(F, c, co + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(F, c, co + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(F, c, co + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(F, c, co + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(F, c, co + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(F, c, co + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(F, c, co + 6 * ldc)); c61 = c61.add(FloatVector.fromArray(F, c, co + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(F, c, co + 7 * ldc)); c71 = c71.add(FloatVector.fromArray(F, c, co + 7 * ldc + L));
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L);
    }

    /** The 4 x 2 micro-kernel for 16-register ISAs (AVX2): 8 accumulators, otherwise as 8 x 2. */
    private static void kernel4x2(int kc, float[] ap, int ao, int rs, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int o0 = ao, o1 = ao + rs, o2 = ao + 2 * rs, o3 = ao + 3 * rs;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi), b1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[o0 + p]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[o1 + p]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[o2 + p]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[o3 + p]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(F, c, co)); c01 = c01.add(FloatVector.fromArray(F, c, co + L));
            c10 = c10.add(FloatVector.fromArray(F, c, co + ldc)); c11 = c11.add(FloatVector.fromArray(F, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(F, c, co + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(F, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(F, c, co + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(F, c, co + 3 * ldc + L));
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
    }
}
