// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import dev.jaye.autograd.optim.AdamW;
import dev.jaye.autograd.optim.LrSchedule;
import dev.jaye.eval.data.Sample;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.generate.Generator;
import dev.jaye.models.processor.ImageProcessor;
import dev.jaye.models.processor.Processor;
import dev.jaye.rl.loop.PolicyUpdate;
import dev.jaye.rl.loop.Query;
import dev.jaye.rl.loop.ResponseCollection;
import dev.jaye.rl.loop.RlConfig;
import dev.jaye.rl.loop.Trajectory;
import dev.jaye.rl.loop.TrajectoryGeneration;
import dev.jaye.rl.reward.RewardSettings;
import dev.jaye.rl.reward.Rewards;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One RL generation step of the quickstart's shape, the peers' {@code rlstep}: the {@code nano}
 * model with random weights, 16 queries (an image and 32 prompt tokens: {@code <bos>}, 16 image,
 * 15 text) x 8 samples = 128 rows, 72 new tokens each at temperature 1 ({@code <eos>} does not
 * stop a row, so the work is fixed); step III's log-probs of policy and frozen reference, 64 rows
 * per forward; step IV as one mini-batch of all 128 rows in 2 backward passes (Reinforce++,
 * PPO clip 0.2, 0.01 x k3 KL, the LM trainable, clip 1.0, AdamW). It runs the RL trainer's own
 * step classes (ResponseCollection, TrajectoryGeneration, PolicyUpdate): what is timed here is
 * what a quickstart step costs.
 */
@Command(name = "rlstep", mixinStandardHelpOptions = true,
        description = {"ms per RL generation step of the nano VLM in the quickstart's shape: 16 queries x 8 samples, 72 new tokens, "
                + "log-probs of policy and reference, one update of 2 backward passes; by phase (generate = step II, "
                + "trajectory = step III, update = step IV).",
                "Model FLOPs: 2 x the multiply-adds of every matrix product and attention pair the step needs done "
                + "without waste (frozen vision tower once per query, causal pairs, the head only at scored positions, "
                + "a backward = 2 x its forward); GFLOP/s = those / the median time; %% of peak against 'jaye bench peak' "
                + "measured in the same process."})
final class RlStepBench implements Callable<Integer> {
    @Mixin
    dev.jaye.tools.DeviceOption device;

    @Mixin
    BenchOptions opts;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "5", description = "Timed generation steps per thread count.")
    int steps;

    @Option(names = "--recompute-old", description = "Step III computes the policy's old log-probs by a forward of its own, as the peers' "
            + "workload does; without it the step runs as the trainer runs this one-pass on-policy update, with step IV's forward giving them.")
    boolean recomputeOld;

    static final int QUERIES = 16, SAMPLES = 8, PROMPT = 32, NEW_TOKENS = 72, FORWARD_BATCH = 64, BACKWARD_PASSES = 2;

    @Override
    public Integer call() throws InterruptedException {
        if (opts.quick) steps = Math.min(steps, 2);
        ModelConfig cfg = ModelConfig.nano();
        boolean fromUpdate = !recomputeOld;
        StepReport report = new StepReport("rlstep", opts, flops(cfg, fromUpdate) / 1e9, List.of("generate", "trajectory", "update"))
                .variant("old_logprobs", fromUpdate ? "from_update" : "recomputed");
        report.header("rlstep: nano VLM, " + QUERIES + " queries x " + SAMPLES + " samples, " + NEW_TOKENS + " new tokens, "
                + (fromUpdate ? "reference log-probs (the policy's old ones from step IV's forward)" : "policy + reference log-probs")
                + ", 1 update of " + BACKWARD_PASSES + " backward passes");
        int saved = Parallel.threads();
        try {
            for (int t : opts.threads) {
                Parallel.setThreads(t);
                Workload w = new Workload(cfg, fromUpdate);
                for (int i = 0; i < 2; i++) w.step(i);                  // warm-up: JIT, buffers
                double[][] ms = new double[steps][];
                for (int i = 0; i < steps; i++) ms[i] = w.step(2 + i);
                report.row(t, ms);
            }
        } finally {
            Parallel.setThreads(saved);
        }
        return 0;
    }

    /** The step's model FLOPs (see the command's description and {@link ModelFlops}). */
    static double flops(ModelConfig cfg, boolean oldFromUpdate) {
        ModelFlops f = new ModelFlops(cfg);
        long rows = (long) QUERIES * SAMPLES, T = PROMPT + NEW_TOKENS, R = NEW_TOKENS;
        long decodePairs = 0;                                 // decoding step s: the token at PROMPT + s sees PROMPT + s + 1 keys
        for (int s = 0; s < NEW_TOKENS - 1; s++) decodePairs += PROMPT + s + 1;
        long generate = QUERIES * f.towerMacs() + f.lmForwardMacs(rows, PROMPT, 1)
                + rows * ((NEW_TOKENS - 1) * f.lmTokenMacs() + f.attentionMacs(decodePairs) + (NEW_TOKENS - 1) * f.headMacs());
        long trajectory = (oldFromUpdate ? 1 : 2) * f.lmForwardMacs(rows, T, R);
        long update = 3 * f.lmForwardMacs(rows, T, R);
        return ModelFlops.gflop(generate + trajectory + update) * 1e9;
    }

    /** A policy, its frozen reference, 16 queries and the trainer's step classes. */
    static final class Workload {
        final List<Query> queries = new ArrayList<>();
        final ResponseCollection collection;
        final TrajectoryGeneration trajectories;
        final PolicyUpdate update;

        Workload(ModelConfig cfg, boolean oldFromUpdate) {
            Vlm policy = new Vlm(cfg, 0), reference = new Vlm(cfg, 0);
            reference.setTrainable("", false);
            policy.setTrainable("vision.", false);
            policy.setTrainable("connector.", false);
            var rollout = new RlConfig.Rollout(QUERIES, SAMPLES, 1.0, 1.0, NEW_TOKENS, FORWARD_BATCH);
            var alg = new RlConfig.Algorithm("reinforce_pp", 1.0, "batch", true, false, 0.0, 0.01, 0.2, 0.2, "token_mean");
            var train = new RlConfig.Train(1, 0, QUERIES, 1, BACKWARD_PASSES, 5e-5, 5e-5, 0, 0.0, 1.0, false, false, true, 0, 0, false, false);
            if (oldFromUpdate && !RlConfig.oldLogProbsFromTheUpdate(rollout, alg, train)) throw new IllegalStateException("not a one-pass on-policy update");
            Processor processor = new Processor(ModelWorkload.tokenizer(cfg.lm().vocab()), new ImageProcessor(cfg.vision().imageSize()), cfg.imageTokens());
            Rng rng = new Rng(5);
            List<int[]> prompts = ModelWorkload.rows(rng, QUERIES, PROMPT, cfg.imageTokens(), cfg.lm().vocab());
            List<Tensor> images = ModelWorkload.images(rng, QUERIES, cfg.vision().imageSize());
            for (int q = 0; q < QUERIES; q++)    // answers 0-9: some responses may happen to be right, as in a real step
                queries.add(new Query(q, new Sample("q" + q, Path.of("bench.png"), "?", Integer.toString(q % 10), null, null, Map.of()),
                        images.get(q), prompts.get(q)));
            collection = new ResponseCollection(new Generator(policy, processor), rollout, 0).fixedLength();
            trajectories = new TrajectoryGeneration(policy, reference,
                    Rewards.of(List.of("accuracy", "language", "penalty"), new RewardSettings(-0.1, 4, -1.0, 0.5)), FORWARD_BATCH, oldFromUpdate);
            update = new PolicyUpdate(policy, AdamW.of(policy.parameters(), LrSchedule.constant(5e-5), 0.0), alg, train, 0, oldFromUpdate);
        }

        /** One generation step; ms of each phase. */
        double[] step(int generationStep) {
            long s0 = System.nanoTime();
            List<Generator.Response> responses = collection.collect(queries, generationStep);     // II
            for (Generator.Response r : responses)
                if (r.ids().length != NEW_TOKENS) throw new IllegalStateException("a row made " + r.ids().length + " tokens, not " + NEW_TOKENS);
            long s1 = System.nanoTime();
            List<Trajectory> batch = trajectories.build(queries, responses);                      // III
            long s2 = System.nanoTime();
            update.optimise(batch, update.advantages(batch), generationStep);                     // IV
            long s3 = System.nanoTime();
            return new double[]{(s1 - s0) / 1e6, (s2 - s1) / 1e6, (s3 - s2) / 1e6};
        }
    }
}
