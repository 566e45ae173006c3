// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd;

import dev.jaye.autograd.ops.AttentionOp;
import dev.jaye.autograd.ops.FusedOpCases;
import dev.jaye.autograd.ops.MatMulOp;
import dev.jaye.autograd.ops.NormOps;
import dev.jaye.autograd.ops.SoftmaxOps;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused ops' backwards: gradcheck on random shapes (one property per op family, each try
 * runs every case of the family on a fresh seed), then a few values worked out by hand.
 */
class FusedOpsGradTest {
    static final List<OpCase> CASES = FusedOpCases.all();

    /** Which cases each property runs; {@link #everyCaseIsInAFamily} keeps this complete. */
    static final Map<String, List<String>> FAMILIES = Map.of(
            "matmul", List.of("matmul nn", "matmul tn", "matmul nt", "matmul tt",
                    "matmul nn shared B", "matmul tn shared B", "matmul nt shared B", "matmul tt shared B"),
            "linear", List.of("linear", "linear no bias"),
            "softmax", List.of("softmax", "log_softmax"),
            "cross_entropy", List.of("cross_entropy", "cross_entropy unweighted"),
            "norms", List.of("layer_norm", "layer_norm no bias", "rms_norm"),
            "rope", List.of("rope", "rope per sequence"),
            "attention", List.of("attention", "attention causal", "attention masked", "attention causal masked"),
            "chains", List.of("attention block", "layer_norm linear gelu", "linear cross_entropy"));

    static void checkFamily(String family, long seed) {
        List<String> names = FAMILIES.get(family);
        for (OpCase c : CASES) {
            if (!names.contains(c.name())) continue;
            GradCheck.Result r = c.check(seed);
            assertTrue(r.ok(), () -> r + " (seed " + seed + ")");
        }
    }

    @Property(tries = 40, seed = "42")
    void matmul(@ForAll long seed) {
        checkFamily("matmul", seed);
    }

    @Property(tries = 40, seed = "42")
    void linear(@ForAll long seed) {
        checkFamily("linear", seed);
    }

    @Property(tries = 40, seed = "42")
    void softmax(@ForAll long seed) {
        checkFamily("softmax", seed);
    }

    @Property(tries = 40, seed = "42")
    void crossEntropy(@ForAll long seed) {
        checkFamily("cross_entropy", seed);
    }

    @Property(tries = 40, seed = "42")
    void norms(@ForAll long seed) {
        checkFamily("norms", seed);
    }

    @Property(tries = 40, seed = "42")
    void rope(@ForAll long seed) {
        checkFamily("rope", seed);
    }

    @Property(tries = 40, seed = "42")
    void attention(@ForAll long seed) {
        checkFamily("attention", seed);
    }

    @Property(tries = 25, seed = "42")
    void chains(@ForAll long seed) {
        checkFamily("chains", seed);
    }

    @Test
    void everyCaseIsInAFamily() {
        Set<String> listed = new HashSet<>();
        FAMILIES.values().forEach(listed::addAll);
        Set<String> names = CASES.stream().map(OpCase::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(names, new TreeSet<>(listed));
    }

    // ------------------------------------------------------------------ known values

    /** Equal logits: every class has probability 1/V, so the loss is log V and dx = (1/V − onehot)/N. */
    @Test
    void crossEntropyOfUniformRowIsLogV() {
        int N = 3, V = 10;
        Var x = Var.param(Tensor.full(0.7f, N, V));
        int[] t = {0, 4, 9};
        Var loss = SoftmaxOps.crossEntropy(x, t, null, -100);
        assertEquals(Math.log(V), loss.item(), 1e-6);
        loss.backward();
        float[] g = x.grad().data();
        for (int i = 0; i < N; i++)
            for (int j = 0; j < V; j++)
                assertEquals((0.1f - (j == t[i] ? 1f : 0f)) / N, g[i * V + j], 1e-7f);
    }

    /** Ignored rows add nothing to the loss or its normaliser, and get an exactly zero gradient. */
    @Test
    void ignoredPositionsContributeNothing() {
        Rng rng = new Rng(7);
        int V = 6;
        Tensor all = Tensor.randn(rng, 2f, 4, V);
        int[] t = {2, -100, 5, -100};
        float[] w = {0.5f, 3f, 1.5f, 9f};                        // the weights of ignored rows must not matter
        Var x = Var.param(all);
        Var loss = SoftmaxOps.crossEntropy(x, t, w, -100);
        loss.backward();

        // The same loss over rows 0 and 2 alone.
        Tensor kept = Tensor.concat(0, all.slice(0, 0, 1), all.slice(0, 2, 3));
        Var y = Var.param(kept);
        Var expected = SoftmaxOps.crossEntropy(y, new int[]{2, 5}, new float[]{0.5f, 1.5f}, -100);
        expected.backward();

        assertEquals(expected.item(), loss.item(), 1e-6f);
        float[] g = x.grad().data(), gk = y.grad().data();
        for (int j = 0; j < V; j++) {
            assertEquals(0f, g[V + j]);
            assertEquals(0f, g[3 * V + j]);
            assertEquals(gk[j], g[j], 1e-7f);
            assertEquals(gk[V + j], g[2 * V + j], 1e-7f);
        }
    }

    /** Nothing counts: the loss is 0 (not 0/0) and no gradient flows. */
    @Test
    void crossEntropyWithNothingToCountIsZero() {
        Var x = Var.param(Tensor.randn(new Rng(1), 1f, 2, 5));
        Var loss = SoftmaxOps.crossEntropy(x, new int[]{-100, -100}, null, -100);
        assertEquals(0f, loss.item());
        loss.backward();
        assertNull(x.grad());
    }

    /**
     * C = A·B with A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]] and dL/dC = G = [[1, −1], [2, 0]]:
     * <pre>
     *   C  = [[19, 22], [43, 50]]
     *   dA = G·Bᵀ = [[1·5 − 1·6, 1·7 − 1·8], [2·5, 2·7]]   = [[−1, −1], [10, 14]]
     *   dB = Aᵀ·G = [[1·1 + 3·2, −1·1], [2·1 + 4·2, −1·2]] = [[7, −1], [10, −2]]
     * </pre>
     * The transposed forms, fed the transposed storage, must give the transposed gradients.
     */
    @Test
    void matmulBackwardByHand() {
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, at = {1, 3, 2, 4}, bt = {5, 7, 6, 8};
        Tensor g = Tensor.of(new float[]{1, -1, 2, 0}, 2, 2);
        float[] dA = {-1, -1, 10, 14}, dB = {7, -1, 10, -2}, dAt = {-1, 10, -1, 14}, dBt = {7, 10, -1, -2};
        for (int form = 0; form < 4; form++) {
            boolean ta = (form & 1) != 0, tb = (form & 2) != 0;
            Var A = Var.param(Tensor.of(ta ? at : a, 2, 2)), B = Var.param(Tensor.of(tb ? bt : b, 2, 2));
            Var c = MatMulOp.matmul(A, B, ta, tb);
            assertArrayEquals(new float[]{19, 22, 43, 50}, c.value.data(), "form " + form);
            c.backward(g);
            assertArrayEquals(ta ? dAt : dA, A.grad().data(), "dA, form " + form);
            assertArrayEquals(tb ? dBt : dB, B.grad().data(), "dB, form " + form);
        }
    }

    // ------------------------------------------------------------------ threads

    /**
     * The gradcheck shapes are too small to be split over threads, so here are shapes that are
     * (the work per region is above Parallel's threshold): the gradients must come out bit for
     * bit the same on 1 and 2 threads. A race (two threads adding into one dK, one shared dB) or
     * an order that depends on the chunking would show up as a difference.
     */
    @Test
    void backwardIsTheSameOnOneAndTwoThreads() {
        Rng r = new Rng(3);
        Tensor x = Tensor.randn(r, 1f, 4096, 768), w = Tensor.randn(r, 1f, 768), b = Tensor.randn(r, 1f, 768);
        Tensor logits = Tensor.randn(r, 2f, 512, 4096);
        int[] t = new int[512];
        float[] tw = new float[512];
        for (int i = 0; i < t.length; i++) {
            t[i] = i % 5 == 0 ? -100 : r.nextInt(4096);
            tw[i] = r.uniform(0.5f, 1.5f);
        }
        Tensor q = Tensor.randn(r, 1f, 2, 4, 128, 32), k = Tensor.randn(r, 1f, 2, 2, 128, 32), v = Tensor.randn(r, 1f, 2, 2, 128, 32);
        Tensor a = Tensor.randn(r, 1f, 3, 700, 300), bm = Tensor.randn(r, 1f, 300, 200);

        sameOnOneAndTwoThreads(p -> NormOps.layerNorm(p[0], p[1], p[2], 1e-5f), x, w, b);
        sameOnOneAndTwoThreads(p -> NormOps.rmsNorm(p[0], p[1], 1e-5f), x, w);
        sameOnOneAndTwoThreads(p -> SoftmaxOps.softmax(p[0]), logits);
        sameOnOneAndTwoThreads(p -> SoftmaxOps.logSoftmax(p[0]), logits);
        sameOnOneAndTwoThreads(p -> SoftmaxOps.crossEntropy(p[0], t, tw, -100), logits);
        sameOnOneAndTwoThreads(p -> AttentionOp.attention(p[0], p[1], p[2], true, null), q, k, v);
        sameOnOneAndTwoThreads(p -> MatMulOp.matmul(p[0], p[1]), a, bm);
    }

    private static void sameOnOneAndTwoThreads(Function<Var[], Var> f, Tensor... inputs) {
        int before = Parallel.threads();
        try {
            float[][] one = gradients(f, 1, inputs), two = gradients(f, 2, inputs);
            for (int i = 0; i < inputs.length; i++) assertArrayEquals(one[i], two[i], "input " + i);
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static float[][] gradients(Function<Var[], Var> f, int threads, Tensor... inputs) {
        Parallel.setThreads(threads);
        Var[] p = new Var[inputs.length];
        for (int i = 0; i < p.length; i++) p[i] = Var.param(inputs[i]);
        Var out = f.apply(p);
        out.backward(Tensor.randn(new Rng(9), 1f, out.shape()));
        float[][] g = new float[p.length][];
        for (int i = 0; i < p.length; i++) g[i] = p[i].grad().data();
        return g;
    }
}
