// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.autograd.optim.AdamW;
import dev.jaye.autograd.optim.LrSchedule;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.processor.ImageProcessor;
import dev.jaye.models.processor.Processor;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole stack end to end: model forward, cross-entropy, backward through ViT and LM, AdamW. */
class SftStepTest {
    static ModelConfig micro() {
        return new ModelConfig(new ModelConfig.Vision(16, 4, 16, 1, 2, 32, 1e-6), new ModelConfig.Connector(2, 16),
                new ModelConfig.Lm(260, 32, 2, 2, 1, 64, 1e-5, 10000, 64));
    }

    private static SftBatch batch(ModelConfig cfg) {
        Tokenizer tok = Tokenizer.bytesOnly();
        Processor p = new Processor(tok, new ImageProcessor(16), cfg.imageTokens());
        Rng rng = new Rng(1);
        List<int[]> prompts = List.of(p.promptIds("How many?"), p.promptIds("How many?"));
        List<int[]> responses = List.of(eos(tok.encode("\\boxed{2}")), eos(tok.encode("\\boxed{7}")));
        // The same question, different images, different answers: only the image can tell them apart.
        List<Tensor> px = List.of(Tensor.rand(rng, -1, 1, 3, 16, 16), Tensor.rand(rng, -1, 1, 3, 16, 16));
        return SftBatch.of(tok, prompts, responses, px, SftBatch.Weighting.RESPONSE);
    }

    private static int[] eos(int[] ids) {
        int[] r = java.util.Arrays.copyOf(ids, ids.length + 1);
        r[ids.length] = Tokenizer.EOS;
        return r;
    }

    private static double[] train(long seed, int steps) {
        ModelConfig cfg = micro();
        Vlm model = new Vlm(cfg, seed);
        AdamW opt = AdamW.of(model.parameters(), LrSchedule.constant(3e-3), 0.0);
        SftBatch b = batch(cfg);
        double[] losses = new double[steps];
        for (int s = 0; s < steps; s++) losses[s] = SftStep.step(model, opt, b, 1.0).loss();
        return losses;
    }

    @Test
    void lossFallsWhenFittingTwoExamples() {
        double[] l = train(3, 60);
        assertTrue(l[59] < 0.25 * l[0], "loss " + l[0] + " -> " + l[59]);
    }

    @Test
    void theSameSeedGivesTheSameLosses() {
        assertArrayEquals(train(5, 5), train(5, 5));
    }
}
