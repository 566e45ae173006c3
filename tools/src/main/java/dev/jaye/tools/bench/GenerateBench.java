// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.generate.Generator;
import dev.jaye.models.processor.ImageProcessor;
import dev.jaye.models.processor.Processor;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.Simd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Response collection speed, the peers' {@code gen_kv} workload: the {@code tiny} model with
 * random weights, 16 prompts of 48 tokens ({@code <bos>}, 16 image, 31 text), 64 new tokens each
 * with the KV cache, sampling at temperature 1. {@code <eos>} does not stop a row, so every run
 * makes exactly 16 x 64 tokens. Timed: the whole {@link Generator#generate} call, images included.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generation with the KV cache: 16 prompts of 48 tokens, 64 new tokens each (tiny model), new tokens/s.")
final class GenerateBench implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.jaye.tools.DeviceOption device;

    @Mixin
    BenchOptions opts;
    static final int ROWS = 16, PROMPT = 48;



    @Option(names = "--new-tokens", paramLabel = "N", defaultValue = "64", description = "New tokens per prompt (64: the PyTorch peer's number).")
    int newTokens;


    @Override
    public Integer call() {
        ModelConfig cfg = ModelConfig.tiny();
        Vlm model = new Vlm(cfg, 0);
        Rng rng = new Rng(2);
        Processor processor = new Processor(ModelWorkload.tokenizer(cfg.lm().vocab()),
                new ImageProcessor(cfg.vision().imageSize()), cfg.imageTokens());
        Processor.Batch prompts = Processor.pad(ModelWorkload.rows(rng, ROWS, PROMPT, cfg.imageTokens(), cfg.lm().vocab()),
                ModelWorkload.images(rng, ROWS, cfg.vision().imageSize()), true);
        Generator gen = new Generator(model, processor);
        Generator.Settings s = new Generator.Settings(1.0, 0, 1.0, newTokens, 3, false);
        if (!opts.json) System.out.println("generate: " + Simd.describe() + "; tiny model, " + ROWS + " prompts of " + PROMPT
                + " tokens, " + newTokens + " new tokens each, KV cache, temperature 1; median (best) of repeated runs after warm-up");
        int saved = Parallel.threads();
        try {
            for (int t : opts.threads) {
                Parallel.setThreads(t);
                Timing.Result r = Timing.measure(() -> check(gen.generate(prompts, s), newTokens), opts.quick ? 1.0 : 3.0, opts.quick ? 3 : 5, 0);
                double tps = ROWS * newTokens / r.median(), ms = r.median() * 1e3;
                if (opts.json) System.out.printf(Locale.ROOT, "{\"bench\":\"generate\",\"lib\":\"jaye\",\"threads\":%d,"
                        + "\"new_tokens_per_s\":%.1f,\"ms\":%.1f,\"ms_best\":%.1f}%n", t, tps, ms, r.best() * 1e3);
                else System.out.printf(Locale.ROOT, "threads %d: %8.1f new tokens/s, %8.1f ms per batch (best %.1f)%n", t, tps, ms, r.best() * 1e3);
                String bus = opts.json ? null : Bus.perCall(() -> check(gen.generate(prompts, s), newTokens), "batch");
                if (bus != null) System.out.println("          " + bus);
                System.out.flush();
            }
        } finally {
            Parallel.setThreads(saved);
        }
        return 0;
    }

    /** Every row must have made exactly {@code n} tokens, or the rate would be wrong. */
    private static void check(List<Generator.Response> out, int n) {
        for (Generator.Response r : out)
            if (r.ids().length != n) throw new IllegalStateException("a row made " + r.ids().length + " tokens, not " + n);
    }
}
