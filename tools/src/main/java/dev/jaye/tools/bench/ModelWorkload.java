// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The inputs the PyTorch peer benchmarks give their model: rows of {@code <bos>},
 * 16 {@code <image>} and random text ids (4 and up), and images of uniform pixels. The numbers
 * differ from PyTorch's generator; the shapes and the work are the same.
 */
final class ModelWorkload {
    private ModelWorkload() {}

    /** {@code rows} rows of {@code length} ids: bos, {@code imageTokens} x image, then text ids in [4, vocab). */
    static List<int[]> rows(Rng rng, int rows, int length, int imageTokens, int vocab) {
        List<int[]> out = new ArrayList<>(rows);
        for (int b = 0; b < rows; b++) {
            int[] r = new int[length];
            r[0] = Tokenizer.BOS;
            for (int t = 1; t <= imageTokens; t++) r[t] = Tokenizer.IMAGE;
            for (int t = imageTokens + 1; t < length; t++) r[t] = Tokenizer.BYTE_OFFSET + rng.nextInt(vocab - Tokenizer.BYTE_OFFSET);
            out.add(r);
        }
        return out;
    }

    /** Normalised pixels [3, size, size] in [-1, 1): uniform [0, 1) pixels after (x - 0.5) / 0.5. */
    static List<Tensor> images(Rng rng, int n, int size) {
        List<Tensor> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(Tensor.rand(rng, -1, 1, 3, size, size));
        return out;
    }

    /**
     * A tokenizer whose vocabulary fills the model's {@code vocab}: the generator never samples ids
     * its tokenizer cannot decode, and the peers sample from all of them. The merges are
     * arbitrary pairs (byte i, byte 0).
     */
    static Tokenizer tokenizer(int vocab) {
        int[][] merges = new int[vocab - Tokenizer.FIRST_MERGE][];
        for (int i = 0; i < merges.length; i++) merges[i] = new int[]{Tokenizer.BYTE_OFFSET + i, Tokenizer.BYTE_OFFSET};
        return Tokenizer.fromMerges(merges);
    }
}
