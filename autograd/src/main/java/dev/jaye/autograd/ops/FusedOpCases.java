// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.OpCase;
import dev.jaye.autograd.Var;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradcheck cases for the fused ops (matmul and linear, softmax and cross-entropy, norms, RoPE,
 * attention) and for small chains of them that mirror the model: an attention block, LayerNorm +
 * Linear + GELU, and a linear head into a masked cross-entropy.
 *
 * <p>Each case draws random shapes from the Rng, deliberately awkward ones: sizes that are not
 * multiples of the vector length (so the kernels' scalar tails run), size-1 axes, batch axes.
 *
 * <p>Constants that are not inputs (targets, loss weights, positions, masks) cannot come from the
 * case's Rng: the function f sees only the input values, and gradcheck calls it many times with
 * perturbed inputs. So f draws them from an Rng seeded by the input shapes ({@link #constants}):
 * the same within one check, different from shape to shape.
 */
public final class FusedOpCases {
    private FusedOpCases() {}

    /** Marks a target that counts for nothing, PyTorch's default. */
    static final int IGNORE = -100;
    /** Head size in the attention-block case. */
    private static final int BLOCK_HEAD = 4;

    public static List<OpCase> all() {
        List<OpCase> all = new ArrayList<>();
        matmul(all);
        softmax(all);
        norms(all);
        rope(all);
        attention(all);
        composites(all);
        return all;
    }

    // ------------------------------------------------------------------ matmul, linear

    private static void matmul(List<OpCase> all) {
        for (boolean shared : new boolean[]{false, true})
            for (boolean ta : new boolean[]{false, true})
                for (boolean tb : new boolean[]{false, true}) {
                    String name = "matmul " + (ta ? "t" : "n") + (tb ? "t" : "n") + (shared ? " shared B" : "");
                    all.add(new OpCase(name, r -> {
                        int M = between(r, 1, 12), K = between(r, 1, 12), N = between(r, 1, 12);
                        // Batch axes: none, one or two of 1-3 (at least one when B is shared by them).
                        int[] batch = dims(r, shared ? 1 : 0, 2, 1, 3);
                        int[] a = ta ? new int[]{K, M} : new int[]{M, K}, b = tb ? new int[]{N, K} : new int[]{K, N};
                        return new Tensor[]{Tensor.randn(r, 1f, cat(batch, a)), Tensor.randn(r, 1f, shared ? b : cat(batch, b))};
                    }, v -> MatMulOp.matmul(v[0], v[1], ta, tb)));
                }
        all.add(new OpCase("linear", r -> {
            int in = between(r, 1, 12), out = between(r, 1, 12);
            return new Tensor[]{Tensor.randn(r, 1f, cat(dims(r, 0, 2, 1, 3), in)), Tensor.randn(r, 1f, out, in), Tensor.randn(r, 1f, out)};
        }, v -> MatMulOp.linear(v[0], v[1], v[2])));
        all.add(new OpCase("linear no bias", r -> {
            int in = between(r, 1, 12), out = between(r, 1, 12);
            return new Tensor[]{Tensor.randn(r, 1f, cat(dims(r, 0, 2, 1, 3), in)), Tensor.randn(r, 1f, out, in)};
        }, v -> MatMulOp.linear(v[0], v[1], null)));
    }

    // ------------------------------------------------------------------ softmax, cross-entropy

    private static void softmax(List<OpCase> all) {
        all.add(new OpCase("softmax", r -> new Tensor[]{Tensor.randn(r, 2f, cat(dims(r, 1, 2, 1, 4), oddWidth(r, 40)))},
                v -> SoftmaxOps.softmax(v[0])));
        all.add(new OpCase("log_softmax", r -> new Tensor[]{Tensor.randn(r, 2f, cat(dims(r, 1, 2, 1, 4), oddWidth(r, 40)))},
                v -> SoftmaxOps.logSoftmax(v[0])));
        all.add(new OpCase("cross_entropy", r -> new Tensor[]{Tensor.randn(r, 2f, between(r, 1, 8), oddWidth(r, 40))},
                v -> {
                    int N = v[0].shape()[0], V = v[0].shape()[1];
                    Rng c = constants(v);
                    return SoftmaxOps.crossEntropy(v[0], targets(c, N, V), weights(c, N), IGNORE);
                }));
        all.add(new OpCase("cross_entropy unweighted", r -> new Tensor[]{Tensor.randn(r, 2f, between(r, 1, 3), between(r, 1, 4), oddWidth(r, 40))},
                v -> {
                    int[] s = v[0].shape();
                    return SoftmaxOps.crossEntropy(v[0], targets(constants(v), s[0] * s[1], s[2]), null, IGNORE);
                }));
    }

    /** Targets in [0, V), about a quarter of them IGNORE, at least one not. */
    static int[] targets(Rng c, int N, int V) {
        int[] t = new int[N];
        for (int i = 0; i < N; i++) t[i] = c.uniform() < 0.25f ? IGNORE : c.nextInt(V);
        if (N > 0 && t[0] == IGNORE) t[0] = c.nextInt(V);
        return t;
    }

    /** Per-token loss weights in [0.2, 2). */
    static float[] weights(Rng c, int N) {
        float[] w = new float[N];
        for (int i = 0; i < N; i++) w[i] = c.uniform(0.2f, 2f);
        return w;
    }

    // ------------------------------------------------------------------ norms

    private static void norms(List<OpCase> all) {
        // x = 1 + 2·N(0, 1): an offset so that LayerNorm's centring matters, and a spread well
        // above the step 1e-2. Both norms are invariant to the scale of a row, so with small C
        // (C = 2: x̂ = ±1) they bend sharply when a row's values nearly coincide; a spread of 2
        // keeps that rare enough for the step to see a smooth function. For eps see normEps.
        all.add(new OpCase("layer_norm", r -> {
            int C = between(r, 1, 40);
            return new Tensor[]{normInput(r, C), Tensor.randn(r, 1f, C), Tensor.randn(r, 1f, C)};
        }, v -> NormOps.layerNorm(v[0], v[1], v[2], normEps(v[0]))));
        all.add(new OpCase("layer_norm no bias", r -> {
            int C = between(r, 1, 40);
            return new Tensor[]{normInput(r, C), Tensor.randn(r, 1f, C)};
        }, v -> NormOps.layerNorm(v[0], v[1], null, normEps(v[0]))));
        all.add(new OpCase("rms_norm", r -> {
            int C = between(r, 1, 40);
            return new Tensor[]{normInput(r, C), Tensor.randn(r, 1f, C)};
        }, v -> NormOps.rmsNorm(v[0], v[1], normEps(v[0]))));
    }

    /**
     * The model's eps, except for rows of 1 or 2. Those normalise to a constant whatever x is:
     * LayerNorm of 2 values gives ±1 and RMSNorm of 1 value ±1, up to a bend of size eps. So
     * with eps = 1e-5 the true dx is ~1e-5 of dy, below float rounding in both the backward's
     * cancelling terms and the finite difference: the check would compare noise with noise. A
     * large eps makes that bend the whole function, which also tests that backward handles eps.
     */
    private static float normEps(Var x) {
        return x.value.dim(-1) <= 2 ? 0.5f : 1e-5f;
    }

    private static Tensor normInput(Rng r, int C) {
        return Tensor.randn(r, 2f, cat(dims(r, 1, 2, 1, 4), C)).add(1f);
    }

    // ------------------------------------------------------------------ rope

    private static void rope(List<OpCase> all) {
        for (boolean perSequence : new boolean[]{false, true})
            all.add(new OpCase(perSequence ? "rope per sequence" : "rope", r -> new Tensor[]{
                    Tensor.randn(r, 1f, between(r, 1, 2), between(r, 1, 3), between(r, 1, 5), 2 * between(r, 1, 8))},
                    v -> {
                        int[] s = v[0].shape();
                        Rng c = constants(v);
                        int[] pos = new int[perSequence ? s[0] * s[2] : s[2]];
                        for (int i = 0; i < pos.length; i++) pos[i] = c.nextInt(64);
                        return RopeOp.rope(v[0], pos, 10000f);
                    }));
    }

    // ------------------------------------------------------------------ attention

    private static void attention(List<OpCase> all) {
        for (boolean causal : new boolean[]{false, true})
            for (boolean masked : new boolean[]{false, true})
                all.add(new OpCase("attention" + (causal ? " causal" : "") + (masked ? " masked" : ""), r -> {
                    int B = between(r, 1, 2), H = between(r, 1, 4), Tk = between(r, 1, 6), Tq = between(r, 1, Tk), D = between(r, 1, 8);
                    int Hkv = divisor(r, H);
                    return new Tensor[]{Tensor.randn(r, 1f, B, H, Tq, D), Tensor.randn(r, 1f, B, Hkv, Tk, D), Tensor.randn(r, 1f, B, Hkv, Tk, D)};
                }, v -> AttentionOp.attention(v[0], v[1], v[2], causal, masked ? keyMask(constants(v), v[1].shape()[0], v[1].shape()[2]) : null)));
    }

    /** A random divisor of n. */
    private static int divisor(Rng r, int n) {
        List<Integer> ds = new ArrayList<>();
        for (int d = 1; d <= n; d++) if (n % d == 0) ds.add(d);
        return ds.get(r.nextInt(ds.size()));
    }

    /** [B, Tk] of 1 (attend) and 0 (padding): keys kept with probability 0.7, so some rows see nothing. */
    static Tensor keyMask(Rng c, int B, int Tk) {
        Tensor m = Tensor.zeros(B, Tk);
        for (int i = 0; i < B * Tk; i++) m.data()[i] = c.uniform() < 0.7f ? 1f : 0f;
        return m;
    }

    // ------------------------------------------------------------------ chains

    private static void composites(List<OpCase> all) {
        // x [B, T, C] -> q, k, v projections -> heads -> RoPE on q, k -> causal attention with
        // grouped kv heads -> merge heads -> output projection -> + x. The head size is fixed
        // (BLOCK_HEAD): f sees only shapes, and [H·D, C] alone does not say what H and D are.
        all.add(new OpCase("attention block", r -> {
            int B = between(r, 1, 2), T = between(r, 1, 4), C = between(r, 1, 8), H = between(r, 1, 2), Hkv = divisor(r, H);
            int D = BLOCK_HEAD;
            float s = (float) (1 / Math.sqrt(C)), so = (float) (1 / Math.sqrt(H * D));
            return new Tensor[]{Tensor.randn(r, 1f, B, T, C), Tensor.randn(r, s, H * D, C), Tensor.randn(r, s, Hkv * D, C),
                    Tensor.randn(r, s, Hkv * D, C), Tensor.randn(r, so, C, H * D)};
        }, v -> {
            Var x = v[0];
            int T = x.shape()[1], H = v[1].shape()[0] / BLOCK_HEAD, Hkv = v[2].shape()[0] / BLOCK_HEAD;
            int[] pos = new int[T];
            for (int t = 0; t < T; t++) pos[t] = t;
            Var q = RopeOp.rope(heads(MatMulOp.linear(x, v[1], null), H), pos, 10000f);
            Var k = RopeOp.rope(heads(MatMulOp.linear(x, v[2], null), Hkv), pos, 10000f);
            Var val = heads(MatMulOp.linear(x, v[3], null), Hkv);
            Var a = mergeHeads(AttentionOp.attention(q, k, val, true, null));
            return Arith.add(x, MatMulOp.linear(a, v[4], null));
        }));
        // The MLP's first half: LayerNorm -> Linear -> GELU.
        all.add(new OpCase("layer_norm linear gelu", r -> {
            int C = between(r, 1, 12), out = between(r, 1, 12);
            return new Tensor[]{normInput(r, C), Tensor.randn(r, 1f, C), Tensor.randn(r, 1f, C),
                    Tensor.randn(r, (float) (1 / Math.sqrt(C)), out, C), Tensor.randn(r, 1f, out)};
        }, v -> gelu(MatMulOp.linear(NormOps.layerNorm(v[0], v[1], v[2], normEps(v[0])), v[3], v[4]))));
        // A linear head into a weighted, masked cross-entropy: the response-only loss.
        all.add(new OpCase("linear cross_entropy", r -> {
            int N = between(r, 1, 8), C = between(r, 1, 12), V = oddWidth(r, 24);
            return new Tensor[]{Tensor.randn(r, 1f, N, C), Tensor.randn(r, 1f, V, C), Tensor.randn(r, 1f, V)};
        }, v -> {
            int N = v[0].shape()[0], V = v[1].shape()[0];
            Rng c = constants(v);
            return SoftmaxOps.crossEntropy(MatMulOp.linear(v[0], v[1], v[2]), targets(c, N, V), weights(c, N), IGNORE);
        }));
    }

    /** [B, T, H·D] -> [B, H, T, D]: a reshape and a permute, and backward the reverse. */
    private static Var heads(Var x, int H) {
        int[] s = x.shape();
        int B = s[0], T = s[1], D = s[2] / H;
        Var out = Var.of("split_heads", x.value.reshape(B, T, H, D).permute(0, 2, 1, 3), x);
        return out.withBackward(() -> x.accumulate(out.grad().permute(0, 2, 1, 3).reshape(B, T, H * D)));
    }

    /** [B, H, T, D] -> [B, T, H·D], the inverse of {@link #heads}. */
    private static Var mergeHeads(Var x) {
        int[] s = x.shape();
        int B = s[0], H = s[1], T = s[2], D = s[3];
        Var out = Var.of("merge_heads", x.value.permute(0, 2, 1, 3).reshape(B, T, H * D), x);
        return out.withBackward(() -> x.accumulate(out.grad().reshape(B, T, H, D).permute(0, 2, 1, 3)));
    }

    /**
     * GELU, tanh form, as a local op (the library's GELU lives with the other point-wise ops):
     * y = ½·x·(1 + tanh u), u = √(2/π)·(x + 0.044715·x³), so
     * dy/dx = ½·(1 + tanh u) + ½·x·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·x²).
     */
    private static Var gelu(Var x) {
        Var out = Var.of("gelu", x.value.gelu(), x);
        return out.withBackward(() -> {
            float[] xd = x.value.data(), g = out.grad().data();
            Tensor dx = Tensor.zeros(x.shape());
            double c = Math.sqrt(2 / Math.PI);
            for (int i = 0; i < xd.length; i++) {
                double xi = xd[i], t = Math.tanh(c * (xi + 0.044715 * xi * xi * xi));
                dx.data()[i] = (float) (g[i] * (0.5 * (1 + t) + 0.5 * xi * (1 - t * t) * c * (1 + 3 * 0.044715 * xi * xi)));
            }
            x.accumulate(dx);
        });
    }

    // ------------------------------------------------------------------ helpers

    private static int between(Rng r, int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    /** minAxes to maxAxes axes, each of size lo to hi. */
    private static int[] dims(Rng r, int minAxes, int maxAxes, int lo, int hi) {
        int[] d = new int[between(r, minAxes, maxAxes)];
        for (int i = 0; i < d.length; i++) d[i] = between(r, lo, hi);
        return d;
    }

    /** A row width in [1, max] that is not a multiple of 8, so vector loops always leave a tail. */
    private static int oddWidth(Rng r, int max) {
        int n;
        do n = between(r, 1, max);
        while (n % 8 == 0);
        return n;
    }

    private static int[] cat(int[] a, int... b) {
        int[] c = new int[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** An Rng for f's constants, seeded by the input shapes: f sees nothing else that is fixed. */
    static Rng constants(Var[] v) {
        long seed = 17;
        for (Var x : v) {
            for (int d : x.shape()) seed = seed * 31 + d;
            seed = seed * 31 + 7;                               // separates [2, 3] [4] from [2] [3, 4]
        }
        return new Rng(seed);
    }
}
