// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.eval.data.Sample;
import dev.jaye.models.Vlm;
import dev.jaye.models.generate.Generator;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.rl.config.Configs;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.Simd;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The other machine's side of a {@link Spread}: the run's own four steps ({@link RlTrainer#parts}),
 * built from its config on a copy of the policy, doing the rows it is sent. It reads the data
 * and model.init from the paths in the config, as the driver does; the policy's current weights
 * come with the work, tagged with a version (the optimiser steps taken), and are copied in only
 * when the version changes.
 *
 * <p>One worker serves one task at a time: a machine running tasks side by side keeps one worker
 * per task (its copy of the policy collects gradients while it works).
 */
public final class SpreadWorker {
    private final RlConfig cfg;
    private final Vlm policy;
    private final RlTrainer.Parts parts;
    private int version = -1, queriesStep = -1;
    private List<Query> queries;

    private SpreadWorker(RlConfig cfg, Vlm policy, RlTrainer.Parts parts) {
        this.cfg = cfg;
        this.policy = policy;
        this.parts = parts;
    }

    /**
     * A worker for the run whose resolved config is {@code configYaml} (configs travel as the
     * YAML a run writes): its starting checkpoint, reference model and training split, loaded here.
     */
    public static SpreadWorker of(String configYaml) throws IOException {
        RlConfig cfg = Configs.fromYaml(configYaml, RlConfig.class);
        Checkpoint.Loaded start = Checkpoint.load(Path.of(cfg.model().init()));
        List<Sample> train = RlTrainer.trainSplit(cfg);
        return new SpreadWorker(cfg, start.model(), RlTrainer.parts(cfg, start.model(), start.tokenizer(), RlTrainer.reference(cfg), train, null));
    }

    /** The policy's weights at {@code version}, copied in unless this worker holds them already. */
    public void weights(int version, Map<String, float[]> weights) {
        if (version == this.version) return;
        Map<String, Tensor> t = new LinkedHashMap<>();
        policy.stateDict().forEach((k, v) -> t.put(k, Tensor.wrap(weights.get(k), v.shape())));
        policy.load(t, "the policy's weights at version " + version);
        this.version = version;
    }

    /** The weights to send: every parameter's values, by name (copies). */
    public static Map<String, float[]> weightsOf(Vlm policy) {
        Map<String, float[]> out = new LinkedHashMap<>();
        policy.stateDict().forEach((k, v) -> out.put(k, v.data().clone()));
        return out;
    }

    /** What a step II-III part sends back: its trajectories, and its seconds in step III. */
    public record Rolled(List<Row> rows, double stepThreeSeconds) implements Serializable {}

    /** Steps II and III for rows {@code from} to {@code to} of generation step {@code step}'s batch. */
    public Rolled rollout(int step, int from, int to) throws IOException {
        List<Query> q = queries(step);
        List<Generator.Response> responses = parts.collection().collect(q, step, from, to);                  // II
        long s = System.nanoTime();
        List<Trajectory> built = parts.trajectories().build(q, cfg.rollout().numSamples(), from, responses);  // III
        double seconds = (System.nanoTime() - s) / 1e9;
        List<Row> rows = new ArrayList<>(built.size());
        for (Trajectory t : built) rows.add(Row.of(t));
        return new Rolled(rows, seconds);
    }

    /**
     * The driver's side of a step II-III: the parts' trajectories in row order, each given back
     * its query (by group), and the longest part's seconds in step III.
     */
    public static Spread.Rolled assemble(List<Query> queries, List<Rolled> parts) {
        List<Trajectory> out = new ArrayList<>();
        double three = 0;
        for (Rolled r : parts) {
            for (Row row : r.rows()) out.add(row.with(queries.get(row.group())));
            three = Math.max(three, r.stepThreeSeconds());
        }
        return new Spread.Rolled(out, three);
    }

    /**
     * One backward batch of step IV as it travels: rows {@code index} of the step's {@code size}
     * rows, and their advantages.
     */
    public record Job(int size, int[] index, List<Row> rows, float[][] advantages) implements Serializable {
        /** The backward batch {@code part} of {@code batch}, whose advantages are {@code adv}. */
        public static Job of(List<Trajectory> batch, float[][] adv, List<Integer> part) {
            List<Row> rows = new ArrayList<>(part.size());
            float[][] a = new float[part.size()][];
            int[] index = new int[a.length];
            for (int k = 0; k < a.length; k++) {
                index[k] = part.get(k);
                rows.add(Row.of(batch.get(index[k])));
                a[k] = adv[index[k]];
            }
            return new Job(batch.size(), index, rows, a);
        }
    }

    /**
     * Step IV's backward pass over one backward batch of generation step {@code step}, the
     * gradient contributions recorded to send back. The rows keep the batch's numbering (a NaN
     * names the row it names on one machine).
     */
    public PolicyUpdate.Backward backward(int step, Job job, double normaliser) throws IOException {
        List<Query> q = queries(step);
        Trajectory[] batch = new Trajectory[job.size()];
        float[][] adv = new float[job.size()][];
        List<Integer> part = new ArrayList<>(job.rows().size());
        for (int k = 0; k < job.rows().size(); k++) {
            int i = job.index()[k];
            part.add(i);
            batch[i] = job.rows().get(k).with(q.get(job.rows().get(k).group()));
            adv[i] = job.advantages()[k];
        }
        return parts.update().backwardRecorded(java.util.Arrays.asList(batch), adv, part, normaliser);
    }

    /**
     * Refuses to work with kernels whose sums run in another order than the driver's ({@code
     * driver}, as {@link Simd#numerics} says): the scalar reference kernels on one side and the
     * vector kernels on the other, and the run would no longer be the one-machine run. The vector
     * width does not matter: every width gives the same bits.
     */
    public static void requireKernels(String driver) {
        String here = Simd.numerics();
        if (!here.equals(driver))
            throw new IllegalStateException("this machine runs " + here + ", the driver " + driver
                    + ": a run across machines needs the same on every one (-Djaye.simd=false everywhere or nowhere)");
    }

    /** The step's queries, as step I makes them on the driver (kept for the step's later parts). */
    private List<Query> queries(int step) throws IOException {
        if (step != queriesStep) {
            int perEpoch = parts.dataFlow().batchesPerEpoch();
            queries = parts.dataFlow().batch(step / perEpoch, step % perEpoch);
            queriesStep = step;
        }
        return queries;
    }

    /**
     * Rows {@code 0..rows} cut into at most {@code workers} runs of whole forward batches
     * (forward_batch_size rows each, the last maybe shorter), as even as they come: {from, to} each.
     */
    public static List<int[]> rowParts(int rows, int forwardBatchSize, int workers) {
        int chunks = (rows + forwardBatchSize - 1) / forwardBatchSize, n = Math.max(1, Math.min(workers, chunks));
        List<int[]> out = new ArrayList<>(n);
        for (int p = 0, c0 = 0; p < n; p++) {
            int c1 = c0 + chunks / n + (p < chunks % n ? 1 : 0);
            out.add(new int[]{c0 * forwardBatchSize, Math.min(rows, c1 * forwardBatchSize)});
            c0 = c1;
        }
        return out;
    }

    /** A trajectory as it travels: everything but its query, which each side has from step I (by group). */
    public record Row(int group, int[] response, String text, boolean finished, float[] rolloutLogProbs, float[] oldLogProbs,
                      float[] refLogProbs, Map<String, Double> rewards, double score, boolean correct) implements Serializable {
        public static Row of(Trajectory t) {
            return new Row(t.group(), t.response(), t.text(), t.finished(), t.rolloutLogProbs(), t.oldLogProbs(), t.refLogProbs(),
                    new LinkedHashMap<>(t.rewards()), t.score(), t.correct());
        }

        public Trajectory with(Query q) {
            return new Trajectory(q, group, response, text, finished, rolloutLogProbs, oldLogProbs, refLogProbs, rewards, score, correct);
        }
    }
}
