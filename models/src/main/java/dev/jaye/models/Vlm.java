// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.ShapeOps;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.lm.KvCache;
import dev.jaye.models.lm.LanguageModel;
import dev.jaye.models.nn.Module;
import dev.jaye.models.processor.Processor;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.models.vision.Connector;
import dev.jaye.models.vision.VisionEncoder;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;

/**
 * The vision-language model: image -> ViT -> connector -> image tokens, spliced into the token
 * embeddings at the {@code <image>} placeholders, -> decoder -> logits. Parameter names are the
 * checkpoint keys of docs/model.md ({@code vision.*}, {@code connector.*}, {@code lm.*}).
 */
public final class Vlm extends Module {
    public final ModelConfig config;
    public final VisionEncoder vision;
    public final Connector connector;
    public final LanguageModel lm;

    /** A randomly initialised model: weights N(0, 0.02²), biases 0, norm weights 1, all from {@code seed}. */
    public Vlm(ModelConfig config, long seed) {
        this.config = config.validate();
        Rng rng = new Rng(seed);
        float std = 0.02f;
        vision = child("vision", new VisionEncoder(config.vision(), rng.split(), std));
        connector = child("connector", new Connector(config, rng.split(), std));
        lm = child("lm", new LanguageModel(config.lm(), rng.split(), std));
    }

    /** Image tokens [B, I, C] of pixels [B, 3, S, S]. */
    public Var imageTokens(Tensor pixels) {
        return connector.forward(vision.forward(pixels));
    }

    /**
     * Logits [B, T, V] of a batch: pixels [B, 3, S, S]; ids [B·T] holding exactly I
     * {@code <image>} ids per row; mask [B, T] with 1 for real tokens and 0 for padding.
     */
    public Var forward(Tensor pixels, int[] ids, Tensor mask) {
        return lm.logits(hidden(pixels, ids, mask));
    }

    /** {@link #forward} of a processed batch, each distinct image encoded once. */
    public Var forward(Processor.Batch batch) {
        return lm.logits(hidden(batch));
    }

    /**
     * The decoder's final hidden states [B, T, C], before the output head: what {@link #forward}
     * multiplies by the embedding. Log-probs of a few positions need the head on those rows only.
     */
    public Var hidden(Tensor pixels, int[] ids, Tensor mask) {
        return hidden(pixels, oneEach(mask.dim(0)), ids, mask);
    }

    /** {@link #hidden} of a processed batch: row b asks about image {@code batch.image()[b]}. */
    public Var hidden(Processor.Batch batch) {
        return hidden(batch.pixels(), batch.image(), batch.ids(), batch.mask());
    }

    private Var hidden(Tensor pixels, int[] image, int[] ids, Tensor mask) {
        int B = mask.dim(0), T = mask.dim(1);
        Var x = embed(imageTokens(pixels), image, ids, B, T);
        return lm.forward(x, positions(mask), mask, null);
    }

    /** Row b -> image b. */
    private static int[] oneEach(int B) {
        int[] image = new int[B];
        for (int b = 0; b < B; b++) image[b] = b;
        return image;
    }

    /**
     * Token embeddings with the image tokens spliced in: row b's k-th {@code <image>} placeholder
     * is replaced by image token k of image b, in order.
     */
    public Var embed(Var imageTokens, int[] ids, int B, int T) {
        return embed(imageTokens, oneEach(B), ids, B, T);
    }

    /** {@link #embed} where row b's image tokens are those of image {@code image[b]}. */
    public Var embed(Var imageTokens, int[] image, int[] ids, int B, int T) {
        int I = config.imageTokens(), C = config.lm().width();
        Var text = lm.embed(ids, B, T);                                          // (B, T, C)
        int[] src = new int[B * T];                                              // which image token lands at (b, t)
        float[] isImage = new float[B * T];
        for (int b = 0; b < B; b++) {
            int k = 0;
            for (int t = 0; t < T; t++)
                if (ids[b * T + t] == Tokenizer.IMAGE) {
                    if (k == I) throw new IllegalArgumentException("row " + b + " has more than " + I + " <image> tokens");
                    src[b * T + t] = image[b] * I + k++;
                    isImage[b * T + t] = 1f;
                }
            if (k != I) throw new IllegalArgumentException("row " + b + " has " + k + " <image> tokens, the model needs " + I);
        }
        int U = imageTokens.shape()[0];
        Var placed = ShapeOps.indexSelect(imageTokens.reshape(U * I, C), 0, src).reshape(B, T, C);
        return ShapeOps.where(Tensor.wrap(isImage, B, T, 1), placed, text);     // (B, T, C)
    }

    /** RoPE positions from a padding mask: each row counts its real tokens from 0 (padding gets 0). */
    public static int[] positions(Tensor mask) {
        int B = mask.dim(0), T = mask.dim(1);
        float[] m = mask.data();
        int[] pos = new int[B * T];
        for (int b = 0; b < B; b++) {
            int p = 0;
            for (int t = 0; t < T; t++) pos[b * T + t] = m[b * T + t] != 0f ? p++ : 0;
        }
        return pos;
    }

    /** A fresh KV cache for generation. */
    public KvCache newCache() {
        return new KvCache(config.lm().layers());
    }
}
