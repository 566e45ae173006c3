// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.lm;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.AttentionOp;
import dev.jaye.autograd.ops.MatMulOp;
import dev.jaye.autograd.ops.RopeOp;
import dev.jaye.autograd.ops.ShapeOps;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.nn.Linear;
import dev.jaye.models.nn.Mlp;
import dev.jaye.models.nn.Module;
import dev.jaye.models.nn.RmsNorm;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;

/**
 * The decoder (docs/model.md): token embedding, pre-norm layers of causal self-attention with
 * rotary positions and grouped key/value heads, SwiGLU MLPs, RMSNorm, no biases, and an output
 * head tied to the embedding. B = batch, T = tokens, C = width, H = heads, Hkv = kv heads,
 * D = head size, V = vocabulary.
 */
public final class LanguageModel extends Module {
    public final ModelConfig.Lm cfg;
    public final Var embed;
    public final Layer[] layers;
    public final RmsNorm norm;

    public LanguageModel(ModelConfig.Lm cfg, Rng rng, float std) {
        this.cfg = cfg;
        embed = child("embed", new Group()).addParam("weight", Tensor.randn(rng, std, cfg.vocab(), cfg.width()));
        Group list = child("layers", new Group());
        layers = new Layer[cfg.layers()];
        for (int i = 0; i < layers.length; i++) layers[i] = list.add(String.valueOf(i), new Layer(cfg, i, rng, std));
        norm = child("norm", new RmsNorm(cfg.width(), cfg.normEps()));
    }

    /** Token embeddings [B, T, C] of ids [B·T]. */
    public Var embed(int[] ids, int B, int T) {
        return ShapeOps.embedding(embed, ids).reshape(B, T, cfg.width());
    }

    /**
     * Runs the layers on input embeddings x [B, T, C]. {@code pos} holds each token's RoPE
     * position [B·T]; {@code keyMask} [B, Tk] marks real keys (1) and padding (0), Tk counting
     * cached positions too; {@code cache} may be null (training, or a single full pass).
     */
    public Var forward(Var x, int[] pos, Tensor keyMask, KvCache cache) {
        for (Layer l : layers) x = l.forward(x, pos, keyMask, cache);
        return norm.forward(x);                                   // (B, T, C)
    }

    /** Logits [B, T, V] = hidden · embedᵀ: the head shares the embedding's weights (a linear layer without bias). */
    public Var logits(Var hidden) {
        return MatMulOp.linear(hidden, embed, null);
    }

    /** x + attn(attn_norm(x)), then x + mlp(mlp_norm(x)). */
    public static final class Layer extends Module {
        public final RmsNorm attnNorm, mlpNorm;
        public final Attention attn;
        public final Mlp.SwiGlu mlp;

        Layer(ModelConfig.Lm cfg, int index, Rng rng, float std) {
            attnNorm = child("attn_norm", new RmsNorm(cfg.width(), cfg.normEps()));
            attn = child("attn", new Attention(cfg, index, rng, std));
            mlpNorm = child("mlp_norm", new RmsNorm(cfg.width(), cfg.normEps()));
            mlp = child("mlp", new Mlp.SwiGlu(cfg.width(), cfg.mlpHidden(), rng, std));
        }

        Var forward(Var x, int[] pos, Tensor keyMask, KvCache cache) {
            x = x.add(attn.forward(attnNorm.forward(x), pos, keyMask, cache));   // (B, T, C)
            return x.add(mlp.forward(mlpNorm.forward(x)));                       // (B, T, C)
        }
    }

    /** Causal self-attention with RoPE on q and k, and Hkv ≤ H key/value heads. */
    public static final class Attention extends Module {
        public final Linear q, k, v, o;
        private final int H, Hkv, D, index;
        private final float theta;

        Attention(ModelConfig.Lm cfg, int index, Rng rng, float std) {
            H = cfg.heads();
            Hkv = cfg.kvHeads();
            D = cfg.headSize();
            theta = (float) cfg.ropeTheta();
            this.index = index;
            q = child("q", new Linear(cfg.width(), H * D, false, rng, std));
            k = child("k", new Linear(cfg.width(), Hkv * D, false, rng, std));
            v = child("v", new Linear(cfg.width(), Hkv * D, false, rng, std));
            o = child("o", new Linear(H * D, cfg.width(), false, rng, std));
        }

        Var forward(Var x, int[] pos, Tensor keyMask, KvCache cache) {
            int[] s = x.shape();
            int B = s[0], T = s[1];
            Var qh = RopeOp.rope(q.forward(x).reshape(B, T, H, D).permute(0, 2, 1, 3), pos, theta);     // (B, H, T, D)
            Var kh = RopeOp.rope(k.forward(x).reshape(B, T, Hkv, D).permute(0, 2, 1, 3), pos, theta);   // (B, Hkv, T, D)
            Var vh = v.forward(x).reshape(B, T, Hkv, D).permute(0, 2, 1, 3);                            // (B, Hkv, T, D)
            Var y;
            if (cache == null) {
                y = AttentionOp.attention(qh, kh, vh, true, keyMask);                                  // (B, H, T, D)
            } else {                                     // generation: attend to every cached position too
                if (qh.needsGrad()) throw new IllegalStateException("the KV cache is for generation: run it under Var.noGrad()");
                cache.append(index, kh.value, vh.value);
                int Tk = cache.length(index);
                if (T == 1) {                            // one new token per row: attend in place, no copies
                    Tensor out = Tensor.zeros(B, H, 1, D);
                    dev.jaye.tensor.kernels.Attention.decodeCached(qh.value.data(), cache.keysTransposed(index), cache.values(index), B, H, Hkv, Tk, cache.capacity(), D,
                            (float) (1 / Math.sqrt(D)), keyMask == null ? null : keyMask.data(), out.data());
                    y = Var.constant(out);
                } else if (Tk == T) {                    // a prompt into an empty cache: the keys are the ones just made
                    y = AttentionOp.attention(qh, Var.constant(kh.value), Var.constant(vh.value), true, keyMask);
                } else {                                 // several tokens after cached ones
                    Tensor[] kv = cache.contiguous(index);                                             // (B, Hkv, Tk, D)
                    y = AttentionOp.attention(qh, Var.constant(kv[0]), Var.constant(kv[1]), true, keyMask);
                }
            }
            return o.forward(y.permute(0, 2, 1, 3).reshape(B, T, H * D));                              // (B, T, C)
        }
    }
}
