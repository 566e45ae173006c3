// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import dev.jaye.autograd.optim.AdamW;
import dev.jaye.autograd.optim.LrSchedule;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.rl.sft.SftBatch;
import dev.jaye.rl.sft.SftStep;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.opencl.DeviceWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One warm-up step of the quickstart's shape, the peers' {@code sftstep}: the {@code nano} model,
 * everything trainable, 32 sequences of 104 tokens ({@code <bos>}, 16 image, 15 prompt, 72
 * response), cross-entropy on the 72 response tokens, clip 1.0, AdamW; through the SFT trainer's
 * own {@link SftStep}.
 */
@Command(name = "sftstep", mixinStandardHelpOptions = true,
        description = {"ms per SFT (warm-up) step of the nano VLM in the quickstart's shape: 32 sequences of 104 tokens, "
                + "everything trainable, cross-entropy on 72 response tokens, AdamW; by phase (forward + backward, update).",
                "Model FLOPs: 2 x the multiply-adds of every matrix product and attention pair (causal pairs, the head "
                + "only at the 72 scored positions, a backward = 2 x its forward, the patch embedding's 1 x); "
                + "%% of peak against 'jaye bench peak' measured in the same process."})
final class SftStepBench implements Callable<Integer> {
    @Mixin
    dev.jaye.tools.DeviceOption device;

    @Mixin
    BenchOptions opts;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "10", description = "Timed steps per thread count.")
    int steps;

    static final int ROWS = 32, PROMPT = 32, RESPONSE = 72;

    @Override
    public Integer call() throws InterruptedException {
        if (opts.quick) steps = Math.min(steps, 3);
        ModelConfig cfg = ModelConfig.nano();
        StepReport report = new StepReport("sftstep", opts, flops(cfg) / 1e9, List.of("forward_backward", "update"));
        report.header("sftstep: nano VLM, " + ROWS + " x " + (PROMPT + RESPONSE) + " tokens, loss on " + RESPONSE
                + " response tokens, all trainable, AdamW");
        SftBatch batch = batch(cfg);
        int saved = Parallel.threads();
        try {
            for (int t : opts.threads) {
                Parallel.setThreads(t);
                Vlm model = new Vlm(cfg, 0);
                AdamW opt = AdamW.of(model.parameters(), LrSchedule.constant(2e-3), 0.01);
                for (int i = 0; i < 3; i++) step(model, opt, batch);
                double[][] ms = new double[steps][];
                for (int i = 0; i < steps; i++) ms[i] = step(model, opt, batch);
                report.row(t, ms);
            }
        } finally {
            Parallel.setThreads(saved);
        }
        return 0;
    }

    /** {@link SftStep#step}'s two halves, timed apart. */
    private static double[] step(Vlm model, AdamW opt, SftBatch b) {
        long s0 = System.nanoTime();
        try (var constant = DeviceWeights.scope()) {
            SftStep.lossAndBackward(model, b, 1.0);
        }
        long s1 = System.nanoTime();
        SftStep.update(opt, 1.0);
        long s2 = System.nanoTime();
        return new double[]{(s1 - s0) / 1e6, (s2 - s1) / 1e6};
    }

    static double flops(ModelConfig cfg) {
        ModelFlops f = new ModelFlops(cfg);
        long towers = ROWS * (3 * f.towerMacs() - f.patchMacs());
        return ModelFlops.gflop(towers + 3 * f.lmForwardMacs(ROWS, PROMPT + RESPONSE, RESPONSE)) * 1e9;
    }

    /** 32 rows: the 32-token prompt of the peers, then 72 random response tokens (the last of them the targets' end). */
    private static SftBatch batch(ModelConfig cfg) {
        Rng rng = new Rng(8);
        List<int[]> rows = ModelWorkload.rows(rng, ROWS, PROMPT + RESPONSE, cfg.imageTokens(), cfg.lm().vocab());
        List<int[]> prompts = new ArrayList<>(), responses = new ArrayList<>();
        for (int[] r : rows) {
            prompts.add(java.util.Arrays.copyOf(r, PROMPT));
            responses.add(java.util.Arrays.copyOfRange(r, PROMPT, PROMPT + RESPONSE));
        }
        List<Tensor> images = ModelWorkload.images(rng, ROWS, cfg.vision().imageSize());
        return SftBatch.of(ModelWorkload.tokenizer(cfg.lm().vocab()), prompts, responses, images, SftBatch.Weighting.RESPONSE);
    }
}
