// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.generate.LogProbs;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.Simd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Step III's cost, the peers' {@code logprobs} workload: the {@code tiny} model with random
 * weights, 64 sequences of 128 tokens ({@code <bos>}, 16 image, 111 text) in one forward
 * (forward_batch_size 64), no gradient, and the log-prob of every next token. As in the peers,
 * that is 127 tokens per row, image placeholders included: here each row's "prompt" is just the
 * {@code <bos>} and its "response" the other 127 ids.
 */
@Command(name = "logprobs", mixinStandardHelpOptions = true,
        description = "Forward-only log-probs of 64 sequences of 128 tokens (tiny model), ms.")
final class LogprobsBench implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.jaye.tools.DeviceOption device;

    @Mixin
    BenchOptions opts;
    static final int ROWS = 64, LENGTH = 128;




    @Override
    public Integer call() {
        ModelConfig cfg = ModelConfig.tiny();
        Vlm model = new Vlm(cfg, 0);
        Rng rng = new Rng(4);
        List<int[]> rows = ModelWorkload.rows(rng, ROWS, LENGTH, cfg.imageTokens(), cfg.lm().vocab());
        List<Tensor> images = ModelWorkload.images(rng, ROWS, cfg.vision().imageSize());
        List<int[]> prompts = new ArrayList<>(), responses = new ArrayList<>();
        for (int[] r : rows) {
            prompts.add(Arrays.copyOf(r, 1));
            responses.add(Arrays.copyOfRange(r, 1, LENGTH));
        }
        if (!opts.json) System.out.println("logprobs: " + Simd.describe() + "; tiny model, " + ROWS + " x " + LENGTH
                + " tokens, one forward, no gradient; median (best) of repeated runs after warm-up");
        int saved = Parallel.threads();
        try {
            for (int t : opts.threads) {
                Parallel.setThreads(t);
                Timing.Result r = Timing.measure(() -> LogProbs.compute(model, images, prompts, responses, ROWS),
                        opts.quick ? 1.0 : 3.0, opts.quick ? 3 : 5, 0);
                double ms = r.median() * 1e3;
                if (opts.json) System.out.printf(Locale.ROOT, "{\"bench\":\"logprobs\",\"lib\":\"jaye\",\"threads\":%d,\"ms\":%.1f,"
                        + "\"ms_best\":%.1f}%n", t, ms, r.best() * 1e3);
                else System.out.printf(Locale.ROOT, "threads %d: %8.1f ms (best %.1f), %.0f tokens/s%n", t, ms, r.best() * 1e3,
                        ROWS * LENGTH / r.median());
                String bus = opts.json ? null : Bus.perCall(() -> LogProbs.compute(model, images, prompts, responses, ROWS), "forward");
                if (bus != null) System.out.println("          " + bus);
                System.out.flush();
            }
        } finally {
            Parallel.setThreads(saved);
        }
        return 0;
    }
}
