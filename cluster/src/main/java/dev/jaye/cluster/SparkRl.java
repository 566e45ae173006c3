// SPDX-License-Identifier: Apache-2.0
package dev.jaye.cluster;

import dev.jaye.models.Vlm;
import dev.jaye.rl.config.Configs;
import dev.jaye.rl.loop.PolicyUpdate;
import dev.jaye.rl.loop.Query;
import dev.jaye.rl.loop.RlConfig;
import dev.jaye.rl.loop.Spread;
import dev.jaye.rl.loop.SpreadWorker;
import dev.jaye.rl.loop.Trajectory;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        private final String yaml;
        private final Vlm policy;
        private final IntSupplier version;
        private Broadcast<Weights> weights;

        Session(String master, RlConfig cfg, Vlm policy, IntSupplier version) {
            this.cfg = cfg;
            this.yaml = Configs.toYaml(cfg);
            this.policy = policy;
            this.version = version;
            long t0 = System.nanoTime();
            sc = new JavaSparkContext(SparkExperiment.conf(master, Path.of(cfg.out())).setAppName("jaye rl " + Path.of(cfg.out()).getFileName()));
            sc.setLogLevel("WARN");
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
            List<SpreadWorker.Rolled> done = spark(() -> sc.parallelize(parts, parts.size()).map(new RolloutPart(yaml, weights(), step)).collect());
            List<Trajectory> out = new ArrayList<>(rows);
            double three = 0;
            for (SpreadWorker.Rolled r : done) {
                for (SpreadWorker.Row row : r.rows()) out.add(row.with(queries.get(row.group())));
                three = Math.max(three, r.stepThreeSeconds());
            }
            return new Rolled(out, three);
        }

        @Override
        public PolicyUpdate.Backwards backwards() {
            return (update, step, batch, adv, parts, normaliser) -> {
                List<BackwardJob> jobs = new ArrayList<>(parts.size());
                for (List<Integer> part : parts) {
                    List<SpreadWorker.Row> rows = new ArrayList<>(part.size());
                    float[][] a = new float[part.size()][];
                    for (int k = 0; k < a.length; k++) {
                        rows.add(SpreadWorker.Row.of(batch.get(part.get(k))));
                        a[k] = adv[part.get(k)];
                    }
                    jobs.add(new BackwardJob(rows, a));
                }
                return spark(() -> sc.parallelize(jobs, jobs.size()).map(new BackwardPart(yaml, weights(), step, normaliser)).collect());
            };
        }

        @Override
        public void close() {
            sc.close();
        }
    }

    /**
     * A stage, with a task's ArithmeticException (a NaN stop: the message names the step and the
     * tensor) given back to the trainer as one, so that it stops as it does without Spark.
     */
    private static <T> T spark(java.util.function.Supplier<T> stage) {
        try {
            return stage.get();
        } catch (Exception e) {                       // SparkException is checked in Java's eyes, and thrown anyway
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ArithmeticException a) throw new ArithmeticException(a.getMessage());
                Matcher m = NAN.matcher(String.valueOf(t.getMessage()));   // a remote task's failure arrives as text
                if (m.find()) throw new ArithmeticException(m.group(1));
            }
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException("Spark: " + e.getMessage(), e);
        }
    }

    private static final Pattern NAN = Pattern.compile("java\\.lang\\.ArithmeticException: ([^\\n]*)");

    /** Step IV's work for one task: one backward batch's rows and their advantages. */
    record BackwardJob(List<SpreadWorker.Row> rows, float[][] advantages) implements Serializable {}

    /**
     * The workers of this executor, by run (its config): a task takes one (or builds one, which
     * loads the run's data and model.init), works, and gives it back; tasks side by side get
     * their own.
     */
    private static final Map<String, Queue<SpreadWorker>> WORKERS = new ConcurrentHashMap<>();

    private static <T> T withWorker(String yaml, Broadcast<Weights> weights, Work<T> work) throws IOException {
        Queue<SpreadWorker> free = WORKERS.computeIfAbsent(yaml, k -> new ConcurrentLinkedQueue<>());
        SpreadWorker w = free.poll();
        if (w == null) w = SpreadWorker.of(yaml);
        try {
            Weights now = weights.value();
            w.weights(now.version(), now.values());
            return work.on(w);
        } finally {
            free.add(w);
        }
    }

    private interface Work<T> {
        T on(SpreadWorker w) throws IOException;
    }

    /** Steps II and III for one row part {from, to}. */
    static final class RolloutPart implements Function<int[], SpreadWorker.Rolled> {
        private final String yaml;
        private final Broadcast<Weights> weights;
        private final int step;

        RolloutPart(String yaml, Broadcast<Weights> weights, int step) {
            this.yaml = yaml;
            this.weights = weights;
            this.step = step;
        }

        @Override
        public SpreadWorker.Rolled call(int[] part) throws IOException {
            return withWorker(yaml, weights, w -> w.rollout(step, part[0], part[1]));
        }
    }

    /** Step IV's backward pass for one backward batch. */
    static final class BackwardPart implements Function<BackwardJob, PolicyUpdate.Backward> {
        private final String yaml;
        private final Broadcast<Weights> weights;
        private final int step;
        private final double normaliser;

        BackwardPart(String yaml, Broadcast<Weights> weights, int step, double normaliser) {
            this.yaml = yaml;
            this.weights = weights;
            this.step = step;
            this.normaliser = normaliser;
        }

        @Override
        public PolicyUpdate.Backward call(BackwardJob job) throws IOException {
            return withWorker(yaml, weights, w -> w.backward(step, job.rows(), job.advantages(), normaliser));
        }
    }
}
