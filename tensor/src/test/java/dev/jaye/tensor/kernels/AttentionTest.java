// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Rng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Attention against its definition. Error budget (u = 2^-24):
 * <ul>
 *   <li>a score is a dot product of D terms, summed in another order by the GEMM: the two differ
 *       by at most 2D·u·Σ|q_d·k_d| ≤ 2D·u·|q|·|k| (Cauchy-Schwarz), times scale; call it Δs;</li>
 *   <li>moving every score by at most Δs moves each weight by a factor within e^{±2Δs}, and the
 *       softmax itself adds 2Tk·u + a few u (see SoftmaxTest): |Δp| ≤ p·(2Δs + (2Tk+8)u);</li>
 *   <li>out = Σ_j p_j·v_j with Σ p_j = 1: |Δout| ≤ max|v|·(Σ|Δp_j| + 2Tk·u).</li>
 * </ul>
 * The bound is computed from the data of each case. Against what is seen it is loose by ~10x for
 * weights and ~100x for outputs, but a wrong mask or head mapping is off by O(0.1).
 */
class AttentionTest {
    /**
     * Batch invariance: a causal sequence of n tokens gives the same bits whatever length its
     * batch is padded to, so a row's log-probs do not depend on the rows it is batched with
     * (step III's chunks and step IV's shuffled backward batches then agree to the bit).
     */
    @Property(tries = 60, seed = "23")
    void aCausalRowDoesNotDependOnThePaddedLength(@ForAll @IntRange(min = 1, max = 70) int n, @ForAll @IntRange(min = 1, max = 40) int pad,
                                                  @ForAll @IntRange(min = 1, max = 40) int D) {
        int H = 2, T = n + pad;
        float[] q = Check.normals(n, H * T * D), k = Check.normals(n + 1, H * T * D), v = Check.normals(n + 2, H * T * D);
        float[] qs = new float[H * n * D], ks = new float[H * n * D], vs = new float[H * n * D];
        for (int h = 0; h < H; h++) {                                // the first n positions of each head, unpadded
            System.arraycopy(q, h * T * D, qs, h * n * D, n * D);
            System.arraycopy(k, h * T * D, ks, h * n * D, n * D);
            System.arraycopy(v, h * T * D, vs, h * n * D, n * D);
        }
        float[] padded = new float[H * T * D], alone = new float[H * n * D];
        float scale = (float) (1 / Math.sqrt(D));
        Attention.attention(q, k, v, 1, H, H, T, T, D, scale, true, null, padded, null);
        Attention.attention(qs, ks, vs, 1, H, H, n, n, D, scale, true, null, alone, null);
        for (int h = 0; h < H; h++)
            for (int x = 0; x < n * D; x++)
                assertEquals(Float.floatToIntBits(alone[h * n * D + x]), Float.floatToIntBits(padded[h * T * D + x]),
                        "n " + n + " padded to " + T + ", head " + h + ", element " + x);
    }

    @org.junit.jupiter.api.Test
    void decodeReadsTheFilledPartOfALargerCache() {
        int B = 2, H = 4, Hkv = 2, Tk = 7, cap = 12, D = 10;
        float[] q = Check.normals(1, B * H * D), kFull = Check.normals(2, B * Hkv * Tk * D), vFull = Check.normals(3, B * Hkv * Tk * D);
        float[] kCap = Check.normals(4, B * Hkv * cap * D), vCap = Check.normals(5, B * Hkv * cap * D);   // garbage past Tk
        for (int bh = 0; bh < B * Hkv; bh++) {
            System.arraycopy(kFull, bh * Tk * D, kCap, bh * cap * D, Tk * D);
            System.arraycopy(vFull, bh * Tk * D, vCap, bh * cap * D, Tk * D);
        }
        float[] mask = {1, 1, 0, 1, 1, 1, 1, /* row 2 */ 0, 0, 1, 1, 1, 1, 1};
        float[] ref = new float[B * H * D], got = new float[B * H * D];
        Attention.attentionScalar(q, kFull, vFull, B, H, Hkv, 1, Tk, D, 0.3f, true, mask, ref, null);
        Attention.decode(q, kCap, vCap, B, H, Hkv, Tk, cap, D, 0.3f, mask, got);
        Check.close("decode from a cache of capacity " + cap, ref, got, 1e-5f, 1e-5f);
    }

    /** The transposed-key decode against the definition, over random shapes, masks and capacities with tails. */
    @Property(tries = 120, seed = "17")
    void decodeCachedMatchesTheReference(@ForAll @IntRange(min = 1, max = 3) int B, @ForAll @IntRange(min = 1, max = 4) int H,
                                         @ForAll @IntRange(min = 0, max = 1) int grouped, @ForAll @IntRange(min = 1, max = 90) int Tk,
                                         @ForAll @IntRange(min = 1, max = 70) int D, @ForAll @IntRange(min = 0, max = 2) int maskMode,
                                         @ForAll @IntRange(min = 0, max = 3) int extraVectors) {
        int Hkv = grouped == 1 && H % 2 == 0 ? H / 2 : H, m = Attention.cacheMultiple();
        int cap = ((Tk + m - 1) / m + extraVectors) * m;
        float[] q = Check.normals(Tk, B * H * D), k = Check.normals(Tk + 1, B * Hkv * Tk * D), v = Check.normals(Tk + 2, B * Hkv * Tk * D);
        float[] kT = Check.normals(Tk + 3, B * Hkv * D * cap), vCap = Check.normals(Tk + 4, B * Hkv * cap * D);   // garbage past Tk
        for (int bh = 0; bh < B * Hkv; bh++) {
            for (int t = 0; t < Tk; t++) for (int d = 0; d < D; d++) kT[(bh * D + d) * cap + t] = k[(bh * Tk + t) * D + d];
            System.arraycopy(v, bh * Tk * D, vCap, bh * cap * D, Tk * D);
        }
        float[] mask = keyMask(maskMode, Tk * 31L + D, B, Tk), ref = new float[B * H * D], got = new float[B * H * D], scalar = new float[B * H * D];
        float scale = (float) (1 / Math.sqrt(D));
        Attention.attentionScalar(q, k, v, B, H, Hkv, 1, Tk, D, scale, true, mask, ref, null);
        Attention.decodeCached(q, kT, vCap, B, H, Hkv, Tk, cap, D, scale, mask, got);
        Attention.decodeCachedScalar(q, kT, vCap, B, H, Hkv, Tk, cap, D, scale, mask, scalar);
        Check.close("decodeCached B=" + B + " H=" + H + " Hkv=" + Hkv + " Tk=" + Tk + " D=" + D, ref, got, 1e-4f, 1e-4f);
        Check.close("decodeCachedScalar", ref, scalar, 1e-4f, 1e-4f);
    }

    static final float U = 0x1p-24f;

    /**
     * keyMask modes: 0 none; 1 random keys dropped and the last batch row all padding (so its
     * queries see nothing); 2 left padding, a random number of leading pads per row (with causal
     * and Tq = Tk the first queries then see nothing).
     */
    static float[] keyMask(int mode, long seed, int B, int Tk) {
        if (mode == 0) return null;
        Rng r = new Rng(seed);
        float[] m = new float[B * Tk];
        for (int b = 0; b < B; b++) {
            int pad = r.nextInt(Tk + 1);
            for (int j = 0; j < Tk; j++) {
                boolean keep = mode == 1 ? b < B - 1 && r.uniform() < 0.7f : j >= pad;
                m[b * Tk + j] = keep ? 1f : 0f;
            }
        }
        return m;
    }

    @Property(tries = 80, seed = "42")
    void fastMatchesReference(@ForAll @IntRange(min = 1, max = 3) int B, @ForAll @IntRange(min = 1, max = 3) int H,
                              @ForAll @IntRange(min = 0, max = 2) int hkvPick, @ForAll @IntRange(min = 1, max = 70) int Tk,
                              @ForAll @IntRange(min = 0, max = 69) int tqPick, @ForAll @IntRange(min = 1, max = 80) int D,
                              @ForAll boolean causal, @ForAll @IntRange(min = 0, max = 2) int maskMode, @ForAll long seed) {
        int Hkv = hkvPick == 0 ? H : hkvPick == 1 ? 1 : (H == 2 ? 1 : H);   // a divisor of H: H, 1, ...
        int Tq = 1 + tqPick % Tk;
        if (tqPick % 3 == 0) Tq = Tk;                                     // the common square case often
        float[] q = Check.normals(seed, B * H * Tq * D), k = Check.normals(seed + 1, B * Hkv * Tk * D);
        float[] v = Check.normals(seed + 2, B * Hkv * Tk * D), mask = keyMask(maskMode, seed + 3, B, Tk);
        float scale = (float) (1 / Math.sqrt(D));
        float[] ref = new float[q.length], out = new float[q.length];
        float[] pRef = new float[B * H * Tq * Tk], p = new float[pRef.length];
        Attention.attentionScalar(q, k, v, B, H, Hkv, Tq, Tk, D, scale, causal, mask, ref, pRef);
        Attention.attention(q, k, v, B, H, Hkv, Tq, Tk, D, scale, causal, mask, out, p);

        float ds = 2 * D * U * Check.maxRowNorm(q, D) * Check.maxRowNorm(k, D) * scale;
        float dp = 2 * ds + (2 * Tk + 8) * U;                                // relative, per weight
        String what = "B=" + B + " H=" + H + " Hkv=" + Hkv + " Tq=" + Tq + " Tk=" + Tk + " D=" + D
                + " causal=" + causal + " mask=" + maskMode;
        Check.close("probs " + what, pRef, p, 1e-37f, dp);
        Check.close("out " + what, ref, out, Check.maxAbs(v) * (dp + 2 * Tk * U), 0f);

        // Without probs the scores go to thread scratch: the output must not change. A single
        // query (decoding) takes the vector-loop path instead of the GEMM: the same bound holds.
        float[] out2 = new float[q.length];
        Attention.attention(q, k, v, B, H, Hkv, Tq, Tk, D, scale, causal, mask, out2, null);
        if (Tq > 1) Check.identical("out without probs " + what, out, out2);
        else Check.close("decode path " + what, ref, out2, Check.maxAbs(v) * (dp + 2 * Tk * U), 0f);
    }

    @Test
    void oneKeyGivesItsValue() {
        // Tq = Tk = 1: the single weight is exp(0)/exp(0) = 1 exactly, so out = v (per kv group).
        int B = 2, H = 4, Hkv = 2, D = 24;
        float[] q = Check.normals(1, B * H * D), k = Check.normals(2, B * Hkv * D), v = Check.normals(3, B * Hkv * D);
        float[] out = new float[q.length];
        Attention.attention(q, k, v, B, H, Hkv, 1, 1, D, 0.2f, false, null, out, null);
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                Check.identical("b=" + b + " h=" + h, Arrays.copyOfRange(v, (b * Hkv + h / 2) * D, (b * Hkv + h / 2 + 1) * D),
                        Arrays.copyOfRange(out, (b * H + h) * D, (b * H + h + 1) * D));
    }

    @Test
    void firstCausalQueryReturnsFirstValue() {
        int T = 7, D = 5;
        float[] q = Check.normals(1, T * D), k = Check.normals(2, T * D), v = Check.normals(3, T * D);
        float[] out = new float[q.length], probs = new float[T * T];
        Attention.attention(q, k, v, 1, 1, 1, T, T, D, 0.5f, true, null, out, probs);
        Check.identical("query 0 sees only key 0", Arrays.copyOf(v, D), Arrays.copyOf(out, D));
        for (int i = 0; i < T; i++)
            for (int j = i + 1; j < T; j++) assertEquals(0f, probs[i * T + j], "future key " + j + " of query " + i);
    }

    @Test
    void maskedKeyGetsWeightExactlyZero() {
        int Tk = 20, D = 8;
        float[] q = Check.normals(1, 3 * D), k = Check.normals(2, Tk * D), v = Check.normals(3, Tk * D);
        float[] mask = new float[Tk];
        Arrays.fill(mask, 1f);
        mask[4] = 0f;
        mask[17] = 0f;
        float[] out = new float[q.length], probs = new float[3 * Tk];
        Attention.attention(q, k, v, 1, 1, 1, 3, Tk, D, 0.35f, false, mask, out, probs);
        for (int i = 0; i < 3; i++) {
            assertEquals(0f, probs[i * Tk + 4]);
            assertEquals(0f, probs[i * Tk + 17]);
            float sum = 0f;
            for (int j = 0; j < Tk; j++) sum += probs[i * Tk + j];
            assertEquals(1f, sum, 1e-6f, "weights of query " + i + " sum to 1");
        }
    }

    @Test
    void queryThatSeesNothingGivesZeros() {
        // Left padding by 3 with causal, Tq = Tk = 6: queries 0..2 sit on padding and see no key.
        int T = 6, D = 4;
        float[] q = Check.normals(1, T * D), k = Check.normals(2, T * D), v = Check.normals(3, T * D);
        float[] mask = {0, 0, 0, 1, 1, 1}, out = new float[q.length], probs = new float[T * T];
        Attention.attention(q, k, v, 1, 1, 1, T, T, D, 0.5f, true, mask, out, probs);
        Check.identical("output of blind queries", new float[3 * D], Arrays.copyOf(out, 3 * D));
        Check.identical("weights of blind queries", new float[3 * T], Arrays.copyOf(probs, 3 * T));
        Check.identical("query 3 sees only key 3", Arrays.copyOfRange(v, 3 * D, 4 * D), Arrays.copyOfRange(out, 3 * D, 4 * D));
    }

    @Test
    void kvCacheQueriesMatchTheLastRowsOfFullAttention() {
        // Causal with Tq < Tk places the queries at the end: the same as the last Tq rows of Tq = Tk.
        int Tk = 9, Tq = 3, D = 16;
        float[] qAll = Check.normals(1, Tk * D), k = Check.normals(2, Tk * D), v = Check.normals(3, Tk * D);
        float[] full = new float[qAll.length], last = new float[Tq * D];
        Attention.attentionScalar(qAll, k, v, 1, 1, 1, Tk, Tk, D, 0.25f, true, null, full, null);
        Attention.attentionScalar(Arrays.copyOfRange(qAll, (Tk - Tq) * D, Tk * D), k, v, 1, 1, 1, Tq, Tk, D, 0.25f, true, null, last, null);
        Check.identical("reference, cache vs full", Arrays.copyOfRange(full, (Tk - Tq) * D, Tk * D), last);
    }

    @Test
    void sameBitsOnOneOrTwoThreads() {
        // 2·4 heads of 128·128·(2·64 + 8) ≈ 2.2M work each: the heads split over two threads.
        int B = 2, H = 4, Hkv = 2, T = 128, D = 64;
        float[] q = Check.normals(1, B * H * T * D), k = Check.normals(2, B * Hkv * T * D), v = Check.normals(3, B * Hkv * T * D);
        float[] mask = keyMask(2, 4, B, T);
        float[] one = new float[q.length], two = new float[q.length], p1 = new float[B * H * T * T], p2 = new float[p1.length];
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Attention.attention(q, k, v, B, H, Hkv, T, T, D, 0.125f, true, mask, one, p1);
            Parallel.setThreads(2);
            Attention.attention(q, k, v, B, H, Hkv, T, T, D, 0.125f, true, mask, two, p2);
        } finally {
            Parallel.setThreads(saved);
        }
        Check.identical("out, 1 vs 2 threads", one, two);
        Check.identical("probs, 1 vs 2 threads", p1, p2);
    }
}
