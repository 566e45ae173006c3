// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.Parallel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatMulTest {

    /**
     * Checks the packed GEMM against the reference. Tolerance: the two sum the same K products in
     * different orders, and any float summation order is within γ_K·Σ|a·b| of the exact sum
     * (Higham, γ_K ≈ K·2^-24). So |fast - ref| <= 2·K·2^-24·Σ|a·b|, computed in double, can never
     * fail for a correct kernel, while a wrong index or a dropped tile gives errors of order Σ|a·b|.
     */
    static void assertMatchesReference(String what, float[] a, float[] b, float[] c0, int M, int N, int K,
                                       boolean ta, boolean tb, boolean acc) {
        float[] ref = c0.clone(), got = c0.clone();
        MatMul.matmulScalar(a, 0, b, 0, ref, 0, M, N, K, ta, tb, acc);
        MatMul.matmul(a, 0, b, 0, got, 0, M, N, K, ta, tb, acc);
        Check.gemmClose(what, a, b, c0, ref, got, M, N, K, ta, tb, acc);
    }

    @Property(tries = 150, seed = "42")
    void vectorMatmulMatchesScalar(@ForAll @IntRange(min = 1, max = 150) int M, @ForAll @IntRange(min = 1, max = 150) int N,
                                   @ForAll @IntRange(min = 1, max = 150) int K, @ForAll @IntRange(min = 0, max = 2) int form,
                                   @ForAll boolean accumulate, @ForAll long seed) {
        float[] a = Check.normals(seed, M * K), b = Check.normals(seed + 1, K * N), c = Check.normals(seed + 2, M * N);
        assertMatchesReference("matmul", a, b, c, M, N, K, form == 1, form == 2, accumulate);
    }

    @Test
    void deepKCrossesSeveralKBlocks() {
        int M = 37, N = 70, K = 2 * MatMul.KC + 77;   // three K blocks, ragged rows and columns
        for (int form = 0; form < 3; form++)
            assertMatchesReference("deep K", Check.normals(1, M * K), Check.normals(2, K * N), Check.normals(3, M * N),
                    M, N, K, form == 1, form == 2, form == 0);
    }

    @Test
    void knownTwoByThreeTimesThreeByFour() {
        float[] a = {1, 2, 3, 4, 5, 6};                                   // [2,3]
        float[] b = {1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 0};                 // [3,4]
        float[] expected = {4, 5, 3, 3, 10, 11, 6, 9};
        for (boolean simd : new boolean[]{false, true}) {
            float[] c = new float[8];
            if (simd) MatMul.matmul(a, 0, b, 0, c, 0, 2, 4, 3, false, false, false);
            else MatMul.matmulScalar(a, 0, b, 0, c, 0, 2, 4, 3, false, false, false);
            assertArrayEquals(expected, c, simd ? "vector" : "scalar");
        }
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        float[] c = {5, 5, 5, 5};
        MatMul.matmul(new float[0], 0, new float[0], 0, c, 0, 2, 2, 0, false, false, false);
        assertArrayEquals(new float[4], c);
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        int M = 301, N = 257, K = 190;   // big enough to be split across threads, ragged everywhere
        float[] a = Check.normals(4, M * K), b = Check.normals(5, K * N);
        int saved = Parallel.threads();
        try {
            for (int form = 0; form < 3; form++) {
                boolean ta = form == 1, tb = form == 2;
                float[] one = new float[M * N], two = new float[M * N];
                Parallel.setThreads(1);
                MatMul.matmul(a, 0, b, 0, one, 0, M, N, K, ta, tb, false);
                Parallel.setThreads(2);
                MatMul.matmul(a, 0, b, 0, two, 0, M, N, K, ta, tb, false);
                Check.identical("matmul form " + form + ", 1 vs 2 threads", one, two);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void packedWeightsGiveTheSameBitsAndAreDroppedWithTheScope() {
        int M = 16, N = 300, K = MatMul.KC + 40;     // two K blocks, a ragged panel
        float[] x = Check.normals(8, M * K), w = Check.normals(9, N * K);
        float[] plain = new float[M * N], cached = new float[M * N], again = new float[M * N];
        MatMul.matmul(x, 0, w, 0, plain, 0, M, N, K, false, true, false);
        try (var scope = PackedWeights.scope()) {
            PackedWeights.markWeight(w);
            MatMul.matmul(x, 0, w, 0, cached, 0, M, N, K, false, true, false);     // packs and keeps
            MatMul.matmul(x, 0, w, 0, again, 0, M, N, K, false, true, false);      // reuses
        }
        Check.identical("prepacked weight", plain, cached);
        Check.identical("prepacked weight, second call", plain, again);
        w[0] += 1f;                                   // an optimiser step after the scope
        float[] after = new float[M * N], ref = new float[M * N];
        MatMul.matmul(x, 0, w, 0, after, 0, M, N, K, false, true, false);
        MatMul.matmulScalar(x, 0, w, 0, ref, 0, M, N, K, false, true, false);
        assertTrue(Math.abs(after[0] - ref[0]) < 1e-3f, "the changed weight is used, not a stale packing");
    }

    @Test
    void batchedBroadcastsAZeroStrideOperand() {
        int batch = 5, M = 9, N = 11, K = 13;
        float[] a = Check.normals(6, batch * M * K), w = Check.normals(7, K * N);
        float[] got = new float[batch * M * N], ref = new float[batch * M * N];
        MatMul.batched(batch, a, 0, M * K, w, 0, 0, got, 0, M * N, M, N, K, false, false, false);
        for (int i = 0; i < batch; i++) MatMul.matmulScalar(a, i * M * K, w, 0, ref, i * M * N, M, N, K, false, false, false);
        Check.close("batched", ref, got, 1e-5f, 1e-5f);
    }
}
