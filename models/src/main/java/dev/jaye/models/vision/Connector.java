// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.vision;

import dev.jaye.autograd.Var;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.nn.Linear;
import dev.jaye.models.nn.Module;
import dev.jaye.tensor.Rng;

/**
 * From image patches to language-model tokens (docs/model.md): pixel shuffle by s turns the
 * G x G patch grid into (G/s)² tokens of s²·C features, then Linear + GELU + Linear maps them to
 * the LM's width. Fewer, wider tokens: the LM reads 16 image tokens instead of 64.
 */
public final class Connector extends Module {
    private final int grid, shuffle;
    public final Linear fc1, fc2;

    public Connector(ModelConfig cfg, Rng rng, float std) {
        grid = cfg.vision().grid();
        shuffle = cfg.connector().shuffle();
        if (grid % shuffle != 0) throw new IllegalArgumentException("patch grid " + grid + " is not a multiple of shuffle " + shuffle);
        int in = cfg.vision().width() * shuffle * shuffle;
        fc1 = child("fc1", new Linear(in, cfg.connector().hidden(), true, rng, std));
        fc2 = child("fc2", new Linear(cfg.connector().hidden(), cfg.lm().width(), true, rng, std));
    }

    /** patches [B, G², C] -> image tokens [B, (G/s)², LM width]. */
    public Var forward(Var patches) {
        return fc2.forward(fc1.forward(pixelShuffle(patches, grid, shuffle)).gelu());
    }

    /**
     * Output token (i, j) concatenates, in this order, patches (s·i + a, s·j + b) for a, b in
     * [0, s) row-major; for s = 2: (2i, 2j), (2i, 2j+1), (2i+1, 2j), (2i+1, 2j+1).
     */
    public static Var pixelShuffle(Var x, int grid, int s) {
        int[] sh = x.shape();
        int B = sh[0], C = sh[2], g = grid / s;
        return x.reshape(B, g, s, g, s, C)             // (B, i, a, j, b, C): patch row = s·i + a, column = s·j + b
                .permute(0, 1, 3, 2, 4, 5)             // (B, i, j, a, b, C)
                .reshape(B, g * g, s * s * C);         // (B, tokens, s²·C)
    }
}
