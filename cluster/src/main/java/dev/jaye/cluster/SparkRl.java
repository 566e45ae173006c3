// SPDX-License-Identifier: Apache-2.0
package dev.jaye.cluster;

import dev.jaye.models.Vlm;
import dev.jaye.rl.config.Configs;
import dev.jaye.rl.loop.PolicyUpdate;
import dev.jaye.rl.loop.Query;
import dev.jaye.rl.loop.RlConfig;
import dev.jaye.rl.loop.Spread;
import dev.jaye.rl.loop.SpreadWorker;
import dev.jaye.tensor.kernels.Simd;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntSupplier;

/**
 * {@code jaye rl --master URL}: one RL run whose generation steps spread over Spark executors
 * ({@link Spread} says what moves and why the numbers stay the same). Per generation step:
 *
 * <ol>
 *   <li>the policy's weights are broadcast, tagged with their version (the optimiser steps
 *       taken), when they have changed since the last broadcast; the old broadcast is destroyed;</li>
 *   <li>steps II and III: one task per row part (whole forward batches, at most one part per
 *       core Spark offers); each task's trajectories come back to the driver in row order;</li>
 *   <li>step IV: one task per backward batch of a mini-batch; each sends back its gradient
 *       contributions, which the driver adds in one-machine order before its optimiser step.</li>
 * </ol>
 *
 * Executors read the data and model.init from the config's paths (made absolute here): every
 * machine must see the same files, as with {@code jaye experiment --master}. A lost task is run
 * again by Spark and computes the same numbers; a driver that stops resumes from its last
 * checkpoint with {@code jaye rl --resume RUN --master URL}, as without Spark.
 */
public final class SparkRl implements Spread.Provider {
    @Override
    public Spread open(String master, RlConfig cfg, Vlm policy, IntSupplier weightsVersion) {
        return new Session(master, absolute(cfg), policy, weightsVersion);
    }

    /** The config with data.dir and model.init resolved where the driver runs: what every executor reads. */
    static RlConfig absolute(RlConfig c) {
        RlConfig.Data d = c.data();
        return new RlConfig(c.seed(), new RlConfig.Model(Path.of(c.model().init()).toAbsolutePath().normalize().toString()),
                new RlConfig.Data(Path.of(d.dir()).toAbsolutePath().normalize().toString(), d.trainSplit(), d.evalSplits(), d.limit(), d.fields()),
                c.rollout(), c.algorithm(), c.reward(), c.train(), c.eval(), c.out());
    }

    /** The policy's weights at one version, as a broadcast carries them. */
    record Weights(int version, Map<String, float[]> values) implements Serializable {}

    static final class Session implements Spread {
        private final JavaSparkContext sc;
        private final RlConfig cfg;
        private final Vlm policy;
        private final IntSupplier version;
        private final Task task;
        private Broadcast<Weights> weights;

        Session(String master, RlConfig cfg, Vlm policy, IntSupplier version) {
            this.cfg = cfg;
            this.policy = policy;
            this.version = version;
            long t0 = System.nanoTime();
            // a step's gradient contributions come back in one collect: a whole model per backward
            // batch, more than Spark's default 1 GB limit on what a stage returns at larger sizes
            sc = new JavaSparkContext(SparkExperiment.conf(master, Path.of(cfg.out())).setAppName("jaye rl " + Path.of(cfg.out()).getFileName())
                    .setIfMissing("spark.driver.maxResultSize", "0"));
            sc.setLogLevel("WARN");
            task = new Task(sc.sc().applicationId(), Configs.toYaml(cfg), Simd.numerics());
            System.err.printf(java.util.Locale.ROOT, "== spark %s (Spark %s): steps II-IV spread over %d task slots; context up in %.1f s%n",
                    master, sc.version(), sc.defaultParallelism(), (System.nanoTime() - t0) / 1e9);
        }

        /** The broadcast of the current weights: made again only when an optimiser step has changed them. */
        private Broadcast<Weights> weights() {
            int v = version.getAsInt();
            if (weights == null || weights.value().version() != v) {
                if (weights != null) weights.destroy();
                weights = sc.broadcast(new Weights(v, SpreadWorker.weightsOf(policy)));
            }
            return weights;
        }

        @Override
        public Rolled rollout(int step, List<Query> queries) {
            int rows = queries.size() * cfg.rollout().numSamples();
            List<int[]> parts = SpreadWorker.rowParts(rows, cfg.rollout().forwardBatchSize(), sc.defaultParallelism());
            return SpreadWorker.assemble(queries,
                    values(spark(() -> sc.parallelize(parts, parts.size()).map(new RolloutPart(task, weights(), step)).collect())));
        }

        @Override
        public PolicyUpdate.Backwards backwards() {
            return (update, step, batch, adv, parts, normaliser) -> {
                List<SpreadWorker.Job> jobs = new ArrayList<>(parts.size());
                for (List<Integer> part : parts) jobs.add(SpreadWorker.Job.of(batch, adv, part));
                return values(spark(() -> sc.parallelize(jobs, jobs.size()).map(new BackwardPart(task, weights(), step, normaliser)).collect()));
            };
        }

        @Override
        public void close() {
            try {
                sc.close();
            } finally {
                WORKERS.remove(task.application());       // a run in this process (local[N]) lets go of its workers
            }
        }
    }

    /** A stage; Spark's checked SparkException (thrown all the same) as an unchecked one with its message. */
    private static <T> T spark(java.util.function.Supplier<T> stage) {
        try {
            return stage.get();
        } catch (Exception e) {
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException("Spark: " + e.getMessage(), e);
        }
    }

    /**
     * What a task sends back: its value, or the message of the NaN stop it met. A NaN is not a
     * fault Spark should retry (the same inputs give the same NaN): the driver throws it as the
     * ArithmeticException it is, and the trainer stops as it does without Spark.
     */
    record Outcome<T>(T value, String nan) implements Serializable {
        static <T> Outcome<T> of(Work<T> work) throws IOException {
            try {
                return new Outcome<>(work.run(), null);
            } catch (ArithmeticException e) {
                return new Outcome<>(null, e.getMessage());
            }
        }
    }

    private static <T> List<T> values(List<Outcome<T>> done) {
        List<T> out = new ArrayList<>(done.size());
        for (Outcome<T> o : done) {
            if (o.nan() != null) throw new ArithmeticException(o.nan());
            out.add(o.value());
        }
        return out;
    }

    /** What every task of a run carries: the Spark application, the run's config, the driver's kernels. */
    record Task(String application, String yaml, String kernels) implements Serializable {}

    /**
     * The workers of this executor, by application: a task takes one (or builds one, which loads
     * the run's data and model.init), works, and gives it back; tasks side by side get their own.
     */
    private static final Map<String, Queue<SpreadWorker>> WORKERS = new ConcurrentHashMap<>();

    private static <T> Outcome<T> withWorker(Task task, Broadcast<Weights> weights, WorkOn<T> work) throws IOException {
        SpreadWorker.requireKernels(task.kernels());
        Queue<SpreadWorker> free = WORKERS.computeIfAbsent(task.application(), k -> new ConcurrentLinkedQueue<>());
        SpreadWorker w = free.poll();
        if (w == null) w = SpreadWorker.of(task.yaml());
        SpreadWorker mine = w;
        try {
            Weights now = weights.value();
            mine.weights(now.version(), now.values());
            return Outcome.of(() -> work.on(mine));
        } finally {
            free.add(mine);
        }
    }

    private interface Work<T> {
        T run() throws IOException;
    }

    private interface WorkOn<T> {
        T on(SpreadWorker w) throws IOException;
    }

    /** Steps II and III for one row part {from, to}. */
    static final class RolloutPart implements Function<int[], Outcome<SpreadWorker.Rolled>> {
        private final Task task;
        private final Broadcast<Weights> weights;
        private final int step;

        RolloutPart(Task task, Broadcast<Weights> weights, int step) {
            this.task = task;
            this.weights = weights;
            this.step = step;
        }

        @Override
        public Outcome<SpreadWorker.Rolled> call(int[] part) throws IOException {
            return withWorker(task, weights, w -> w.rollout(step, part[0], part[1]));
        }
    }

    /** Step IV's backward pass for one backward batch. */
    static final class BackwardPart implements Function<SpreadWorker.Job, Outcome<PolicyUpdate.Backward>> {
        private final Task task;
        private final Broadcast<Weights> weights;
        private final int step;
        private final double normaliser;

        BackwardPart(Task task, Broadcast<Weights> weights, int step, double normaliser) {
            this.task = task;
            this.weights = weights;
            this.step = step;
            this.normaliser = normaliser;
        }

        @Override
        public Outcome<PolicyUpdate.Backward> call(SpreadWorker.Job job) throws IOException {
            return withWorker(task, weights, w -> w.backward(step, job, normaliser));
        }
    }
}
