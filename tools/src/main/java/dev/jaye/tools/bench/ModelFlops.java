// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import dev.jaye.models.config.ModelConfig;

/**
 * Model FLOPs of a workload, counted from the config: 2 x the multiply-adds of every matrix
 * product the work needs when done without waste (what a careful PyTorch implementation of the
 * same step computes, so that FLOP/s compare across implementations). Element-wise ops, norms, softmax and the optimiser
 * are not counted: they are a few percent of the products and run at memory speed, not FMA speed.
 *
 * <ul>
 *   <li>Linear layers: in x out per token. Attention: q·k and p·v, 2 x heads x head size
 *       multiply-adds per (query, key) pair, causal pairs only in the language model (T(T+1)/2
 *       for T tokens), all pairs in the ViT.</li>
 *   <li>The output head only at the positions that are scored (its vocab x width per position).</li>
 *   <li>Frozen towers once per image: the vision encoder and connector of a query whose weights
 *       do not change serve every sample of it.</li>
 *   <li>A backward pass is 2 x its forward (the gradient of the input and of the weight), except
 *       the patch embedding, whose input (pixels) needs no gradient: 1 x.</li>
 * </ul>
 */
final class ModelFlops {
    private final ModelConfig c;

    ModelFlops(ModelConfig c) {
        this.c = c;
    }

    /** Multiply-adds of the vision encoder and connector for one image. */
    long towerMacs() {
        var v = c.vision();
        long N = v.patches(), C = v.width();
        long block = N * (4 * C * C + 2 * C * v.mlpHidden()) + 2 * N * N * C;
        long in = C * c.connector().shuffle() * c.connector().shuffle();
        long connector = c.imageTokens() * (in * c.connector().hidden() + (long) c.connector().hidden() * c.lm().width());
        return patchMacs() + v.layers() * block + connector;
    }

    /** Multiply-adds of the patch embedding alone (its backward is 1 x, see above). */
    long patchMacs() {
        var v = c.vision();
        return (long) v.patches() * 3 * v.patchSize() * v.patchSize() * v.width();
    }

    /** Multiply-adds of the decoder layers for one token, without attention's pairs. */
    long lmTokenMacs() {
        var l = c.lm();
        long C = l.width(), HD = (long) l.heads() * l.headSize(), KV = (long) l.kvHeads() * l.headSize();
        return l.layers() * (C * HD + 2 * C * KV + HD * C + 3 * C * l.mlpHidden());
    }

    /** Multiply-adds of attention's q·k and p·v for {@code pairs} (query, key) pairs, all layers. */
    long attentionMacs(long pairs) {
        var l = c.lm();
        return pairs * 2L * l.heads() * l.headSize() * l.layers();
    }

    /** Multiply-adds of the output head at one position. */
    long headMacs() {
        return (long) c.lm().vocab() * c.lm().width();
    }

    /** Forward multiply-adds of the decoder over rows of T tokens from the start (causal), head at {@code scored} positions per row. */
    long lmForwardMacs(long rows, long T, long scored) {
        return rows * (T * lmTokenMacs() + attentionMacs(T * (T + 1) / 2) + scored * headMacs());
    }

    static double gflop(long macs) {
        return 2.0 * macs / 1e9;
    }
}
