// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import dev.jaye.autograd.optim.AdamW;
import dev.jaye.autograd.optim.LrSchedule;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.rl.sft.SftBatch;
import dev.jaye.rl.sft.SftStep;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.DeviceWeights;
import dev.jaye.tensor.opencl.Transfers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * One training step of the tiny model, as the PyTorch peer runs it:
 * batch 16 x 128 tokens (bos + 16 image + 111 text), cross-entropy on the 111 text targets per
 * row, backward, AdamW. Variants: everything trainable, and vision + connector frozen.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "ms per training step of the tiny VLM (batch 16 x 128 tokens), full and frozen, and the heap it needs.")
final class TrainBench implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.jaye.tools.DeviceOption device;

    @Mixin
    BenchOptions opts;


    @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "Timed steps per measurement.")
    int steps;


    @Override
    public Integer call() {
        if (opts.quick) steps = Math.min(steps, 5);
        ModelConfig cfg = ModelConfig.tiny();
        SftBatch batch = batch(cfg, 16, 128);
        if (!opts.json) System.out.printf(Locale.ROOT, "train: tiny VLM, batch 16 x 128, AdamW; median ms per step after warm-up; "
                        + "live heap after GC at step 10 and at the last step (flat = no leak)%n%-8s %7s %10s %10s %14s %16s%n",
                "variant", "threads", "ms/step", "best", "peak heap MB", "live MB 10 -> N");
        int saved = Parallel.threads();
        try {
            for (String variant : new String[]{"full", "frozen"}) {
                for (int t : opts.threads) {
                    Parallel.setThreads(t);
                    Vlm model = new Vlm(cfg, 0);
                    if (variant.equals("frozen")) {
                        model.setTrainable("vision.", false);
                        model.setTrainable("connector.", false);
                    }
                    AdamW opt = AdamW.of(model.parameters(), LrSchedule.constant(1e-4), 0.01);
                    for (int i = 0; i < 3; i++) SftStep.step(model, opt, batch, 1.0);     // warm-up: JIT and buffers
                    double[] ms = new double[steps];
                    long peak = 0;
                    Runtime rt = Runtime.getRuntime();
                    long liveEarly = 0;
                    Transfers.reset();
                    for (int i = 0; i < steps; i++) {
                        long s = System.nanoTime();
                        SftStep.step(model, opt, batch, 1.0);
                        ms[i] = (System.nanoTime() - s) / 1e6;
                        peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
                        if (i == Math.min(9, steps - 1)) liveEarly = liveAfterGc(rt);
                    }
                    long liveLate = liveAfterGc(rt);     // what survives a step: must not grow with steps
                    double[] sorted = ms.clone();
                    Arrays.sort(sorted);
                    double median = sorted[steps / 2];
                    String bus = Backend.device().isEmpty() ? "" : String.format(Locale.ROOT,
                            ",\"device\":\"opencl:%d\",\"to_device_mb_per_step\":%.1f,\"to_host_mb_per_step\":%.1f,\"weights_kept\":%b",
                            Backend.device().get().index(), Transfers.toDeviceBytes() / 1e6 / steps, Transfers.toHostBytes() / 1e6 / steps, DeviceWeights.keeping());
                    if (opts.json) System.out.printf(Locale.ROOT, "{\"bench\":\"train\",\"lib\":\"jaye\",\"variant\":\"%s\",\"threads\":%d,"
                            + "\"ms_per_step\":%.1f,\"ms_best\":%.1f,\"peak_heap_mb\":%d,\"live_mb_step10\":%d,\"live_mb_last\":%d%s}%n",
                            variant, t, median, sorted[0], peak >> 20, liveEarly >> 20, liveLate >> 20, bus);
                    else System.out.printf(Locale.ROOT, "%-8s %7d %10.1f %10.1f %14d %11d -> %d%n", variant, t, median, sorted[0], peak >> 20,
                            liveEarly >> 20, liveLate >> 20);
                    if (!opts.json && Backend.device().isPresent())     // what offloading costs in traffic
                        System.out.printf(Locale.ROOT, "%-8s %7d   %s%n", variant, t,
                                Bus.sinceReset(steps, "step"));
                    System.out.flush();
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
        return 0;
    }

    /** Heap in use after a full collection: what the run really keeps (timing is taken outside this). */
    private static long liveAfterGc(Runtime rt) {
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** B rows of bos, I image tokens, then T - 1 - I random text tokens, all of them targets. */
    static SftBatch batch(ModelConfig cfg, int B, int T) {
        Rng rng = new Rng(1);
        int I = cfg.imageTokens(), S = cfg.vision().imageSize();
        List<int[]> prompts = new ArrayList<>(), responses = new ArrayList<>();
        List<Tensor> px = new ArrayList<>();
        for (int b = 0; b < B; b++) {
            int[] p = new int[1 + I];
            p[0] = Tokenizer.BOS;
            Arrays.fill(p, 1, p.length, Tokenizer.IMAGE);
            int[] r = new int[T - p.length];
            for (int i = 0; i < r.length; i++) r[i] = Tokenizer.BYTE_OFFSET + rng.nextInt(cfg.lm().vocab() - Tokenizer.BYTE_OFFSET);
            prompts.add(p);
            responses.add(r);
            px.add(Tensor.rand(rng, -1, 1, 3, S, S));
        }
        return SftBatch.of(Tokenizer.bytesOnly(), prompts, responses, px, SftBatch.Weighting.RESPONSE);
    }
}
