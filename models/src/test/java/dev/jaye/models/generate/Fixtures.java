// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.generate;

import dev.jaye.autograd.Var;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.processor.ImageProcessor;
import dev.jaye.models.processor.Processor;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** A model small enough for many generations per test, and prompts of different lengths. */
final class Fixtures {
    private Fixtures() {}

    /**
     * 16-pixel images -> 4 image tokens; LM of width 32, 2 layers, 4 query heads over 2 kv heads
     * (so grouped heads go through the cache), vocabulary 300: larger than the byte tokenizer's
     * 260, so the ids it cannot decode must be banned.
     */
    static ModelConfig config() {
        return new ModelConfig(new ModelConfig.Vision(16, 4, 16, 1, 2, 32, 1e-6), new ModelConfig.Connector(2, 16),
                new ModelConfig.Lm(300, 32, 2, 4, 2, 64, 1e-5, 10000, 128));
    }

    /**
     * Random weights of std 0.2 instead of the usual 0.02: logits then spread over a few units,
     * so distributions are peaked enough for greedy, top-k and top-p to differ, and far from
     * ties that float rounding could flip.
     */
    static Vlm model(long seed) {
        Vlm m = new Vlm(config(), seed);
        Rng rng = new Rng(seed + 1);
        for (Var v : m.parameters().values())
            if (v.value.rank() >= 2) {
                float[] d = v.value.data();
                for (int i = 0; i < d.length; i++) d[i] = 0.2f * rng.normal();
            }
        return m;
    }

    static Processor processor() {
        ModelConfig c = config();
        return new Processor(Tokenizer.bytesOnly(), new ImageProcessor(c.vision().imageSize()), c.imageTokens());
    }

    static final List<String> QUESTIONS = List.of("How many?", "Count the red ones", "Hi", "What is left of the cube?");

    static List<Tensor> images(int n, long seed) {
        Rng rng = new Rng(seed);
        int S = config().vision().imageSize();
        List<Tensor> px = new ArrayList<>();
        for (int i = 0; i < n; i++) px.add(Tensor.rand(rng, -1, 1, 3, S, S));
        return px;
    }

    static List<int[]> prompts(Processor p, List<String> questions) {
        List<int[]> rows = new ArrayList<>();
        for (String q : questions) rows.add(p.promptIds(q));
        return rows;
    }
}
