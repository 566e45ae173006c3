// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.vision;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.AttentionOp;
import dev.jaye.autograd.ops.MatMulOp;
import dev.jaye.autograd.ops.ShapeOps;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.nn.LayerNorm;
import dev.jaye.models.nn.Linear;
import dev.jaye.models.nn.Mlp;
import dev.jaye.models.nn.Module;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;

/**
 * The vision encoder: a ViT as in docs/model.md (Dosovitskiy et al. 2020). Patches of P x P
 * pixels are embedded linearly, learned positions are added, pre-norm transformer blocks with
 * bidirectional attention follow, then a final LayerNorm. No class token: every patch is a token.
 * B = batch, N = patches (grid²), C = width, H = heads, D = head size.
 */
public final class VisionEncoder extends Module {
    private final ModelConfig.Vision cfg;
    public final Var patchWeight, patchBias, posEmbed;
    public final Block[] blocks;
    public final LayerNorm norm;

    public VisionEncoder(ModelConfig.Vision cfg, Rng rng, float std) {
        this.cfg = cfg;
        int C = cfg.width(), P = cfg.patchSize();
        Group patch = child("patch_embed", new Group());
        patchWeight = patch.addParam("weight", Tensor.randn(rng, std, C, 3, P, P));   // a conv kernel [C, 3, P, P]
        patchBias = patch.addParam("bias", Tensor.zeros(C));
        posEmbed = param("pos_embed", Tensor.randn(rng, std, cfg.patches(), C));
        Group list = child("blocks", new Group());
        blocks = new Block[cfg.layers()];
        for (int i = 0; i < blocks.length; i++) blocks[i] = list.add(String.valueOf(i), new Block(cfg, rng, std));
        norm = child("norm", new LayerNorm(C, cfg.normEps()));
    }

    /** pixels [B, 3, S, S] (constant) -> patch features [B, N, C]. */
    public Var forward(Tensor pixels) {
        int B = pixels.dim(0), C = cfg.width(), P = cfg.patchSize();
        Var patches = Var.constant(patchify(pixels, P));                              // (B, N, 3·P·P)
        // A stride-P convolution with a P x P kernel is a matmul on unfolded patches.
        Var x = MatMulOp.linear(patches, patchWeight.reshape(C, 3 * P * P), patchBias);  // (B, N, C)
        x = x.add(posEmbed);                                                          // (B, N, C)
        for (Block b : blocks) x = b.forward(x);
        return norm.forward(x);
    }

    /**
     * Unfolds [B, 3, S, S] into [B, N, 3·P·P]: patch (r, c) is token r·grid + c (row-major), and
     * its features are ordered channel, row in patch, column in patch, matching the flattened
     * conv kernel [C, 3, P, P].
     */
    public static Tensor patchify(Tensor pixels, int P) {
        int B = pixels.dim(0), S = pixels.dim(2), G = S / P;
        if (pixels.rank() != 4 || pixels.dim(1) != 3 || pixels.dim(3) != S || S % P != 0)
            throw new IllegalArgumentException("pixels must be [B, 3, S, S] with S a multiple of " + P + ", got " + dev.jaye.tensor.Shape.str(pixels.shape()));
        float[] src = pixels.data(), dst = new float[B * G * G * 3 * P * P];
        int at = 0;
        for (int b = 0; b < B; b++)
            for (int r = 0; r < G; r++)
                for (int c = 0; c < G; c++)
                    for (int ch = 0; ch < 3; ch++)
                        for (int y = 0; y < P; y++) {
                            System.arraycopy(src, ((b * 3 + ch) * S + r * P + y) * S + c * P, dst, at, P);
                            at += P;
                        }
        return Tensor.wrap(dst, B, G * G, 3 * P * P);
    }

    /** Pre-norm block: x + attn(norm1(x)), then x + mlp(norm2(x)). */
    public static final class Block extends Module {
        public final LayerNorm norm1, norm2;
        public final SelfAttention attn;
        public final Mlp.Gelu mlp;

        Block(ModelConfig.Vision cfg, Rng rng, float std) {
            norm1 = child("norm1", new LayerNorm(cfg.width(), cfg.normEps()));
            attn = child("attn", new SelfAttention(cfg.width(), cfg.heads(), rng, std));
            norm2 = child("norm2", new LayerNorm(cfg.width(), cfg.normEps()));
            mlp = child("mlp", new Mlp.Gelu(cfg.width(), cfg.mlpHidden(), rng, std));
        }

        public Var forward(Var x) {
            x = x.add(attn.forward(norm1.forward(x)));        // (B, N, C)
            return x.add(mlp.forward(norm2.forward(x)));      // (B, N, C)
        }
    }

    /** Bidirectional multi-head attention with a fused qkv projection (rows: q, then k, then v). */
    public static final class SelfAttention extends Module {
        public final Linear qkv, proj;
        private final int heads;

        SelfAttention(int C, int heads, Rng rng, float std) {
            this.heads = heads;
            qkv = child("qkv", new Linear(C, 3 * C, true, rng, std));
            proj = child("proj", new Linear(C, C, true, rng, std));
        }

        public Var forward(Var x) {
            int[] s = x.shape();
            int B = s[0], N = s[1], C = s[2], D = C / heads;
            Var qkvHeads = qkv.forward(x).reshape(B, N, 3, heads, D).permute(2, 0, 3, 1, 4);   // (3, B, H, N, D)
            Var q = ShapeOps.slice(qkvHeads, 0, 0, 1).reshape(B, heads, N, D);
            Var k = ShapeOps.slice(qkvHeads, 0, 1, 2).reshape(B, heads, N, D);
            Var v = ShapeOps.slice(qkvHeads, 0, 2, 3).reshape(B, heads, N, D);
            Var y = AttentionOp.attention(q, k, v, false, null);                              // (B, H, N, D)
            return proj.forward(y.permute(0, 2, 1, 3).reshape(B, N, C));                      // (B, N, C)
        }
    }
}
