// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.optim.Optimizer;
import dev.jaye.models.Vlm;
import dev.jaye.models.generate.LogProbs;
import dev.jaye.rl.algo.Advantages;
import dev.jaye.rl.algo.Normalization;
import dev.jaye.rl.algo.PolicyLoss;
import dev.jaye.rl.sft.SftStep;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.opencl.DeviceWeights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step IV of the method, the policy update.
 *
 * <ol>
 *   <li>{@link #advantages}: the estimator turns the scores (and, for Reinforce++, the per-token
 *       KL to the reference scaled by kl_reward_coeff, with returns discounted by gamma) into an
 *       advantage per response token, then the normalisation scope whitens them.</li>
 *   <li>{@link #optimise}: for each of ppo_epochs, the queries are shuffled and cut into
 *       mini-batches of ppo_batch_size queries (with all their responses); each mini-batch is
 *       one optimiser step, its gradient accumulated over gradient_accumulation_steps backward
 *       batches. The loss is {@link PolicyLoss}.</li>
 * </ol>
 *
 * <p>Mini-batches keep a query's responses together, so a backward batch sees whole groups; the
 * shuffle is seeded by (seed, generation step, ppo epoch) alone, for resumable runs.
 */
public final class PolicyUpdate {
    private final Vlm policy;
    private final Optimizer opt;
    private final RlConfig.Algorithm alg;
    private final RlConfig.Train train;
    private final long seed;
    private final boolean oldFromHere;
    boolean flipAdvantageSign;                      // tests: the control that must not learn

    /** Old log-probs as step III computed them. */
    public PolicyUpdate(Vlm policy, Optimizer opt, RlConfig.Algorithm alg, RlConfig.Train train, long seed) {
        this(policy, opt, alg, train, seed, false);
    }

    /**
     * @param oldFromHere the update is one on-policy pass ({@link RlConfig#oldLogProbsFromTheUpdate}):
     *                    each backward batch's forward writes its rows' old log-probs before the loss
     */
    public PolicyUpdate(Vlm policy, Optimizer opt, RlConfig.Algorithm alg, RlConfig.Train train, long seed, boolean oldFromHere) {
        if (oldFromHere && (train.ppoEpochs() != 1 || alg.klRewardCoeff() != 0))
            throw new IllegalArgumentException("old log-probs can come from the update only for one ppo epoch and no KL reward");
        this.policy = policy;
        this.opt = opt;
        this.alg = alg;
        this.train = train;
        this.seed = seed;
        this.oldFromHere = oldFromHere;
    }

    /**
     * Whether each row takes part in the update: all rows, or with drop_zero_spread only the rows of
     * groups whose scores are not all equal.
     */
    public boolean[] kept(List<Trajectory> batch) {
        boolean[] keep = new boolean[batch.size()];
        java.util.Map<Integer, double[]> range = new java.util.HashMap<>();      // group -> {min, max} score
        for (Trajectory t : batch)
            range.merge(t.group(), new double[]{t.score(), t.score()},
                    (a, b) -> new double[]{Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        for (int i = 0; i < keep.length; i++) {
            double[] r = range.get(batch.get(i).group());
            keep[i] = !alg.dropZeroSpread() || r[0] != r[1];
        }
        return keep;
    }

    /**
     * The advantage of every response token of the batch (row order as the batch). Rows left out
     * by {@link #kept} get zeros and take no part in the estimator's baselines or the normalisation.
     */
    public float[][] advantages(List<Trajectory> batch) {
        boolean[] keep = kept(batch);
        List<Trajectory> in = new ArrayList<>();
        for (int i = 0; i < keep.length; i++) if (keep[i]) in.add(batch.get(i));
        float[][] some = in.isEmpty() ? new float[0][] : advantagesOf(in), all = new float[batch.size()][];
        for (int i = 0, k = 0; i < all.length; i++) all[i] = keep[i] ? some[k++] : new float[batch.get(i).length()];
        return all;
    }

    private float[][] advantagesOf(List<Trajectory> batch) {
        int N = batch.size();
        double[] scores = new double[N];
        int[] group = new int[N];
        float[][] kl = new float[N][];
        for (int i = 0; i < N; i++) {
            Trajectory t = batch.get(i);
            scores[i] = t.score();
            group[i] = t.group();
            kl[i] = new float[t.length()];
            if (t.refLogProbs() != null && alg.klRewardCoeff() != 0)   // the estimate log old - log ref of the KL reward
                for (int j = 0; j < t.length(); j++) kl[i][j] = t.oldLogProbs()[j] - t.refLogProbs()[j];
        }
        float[][] adv = Advantages.compute(alg.estimatorKind(), scores, group, kl, alg.klRewardCoeff(), alg.gamma());
        Normalization.apply(adv, group, alg.scope(), alg.normalizeStd(), alg.keepMean());
        if (flipAdvantageSign) for (float[] row : adv) for (int j = 0; j < row.length; j++) row[j] = -row[j];
        return adv;
    }

    /** What one generation step's update did; token means are over every valid token seen, all ppo epochs. */
    public record Stats(double policyLoss, double klLoss, double kl, double entropy, double ratio, double clipFracLow,
                        double clipFracHigh, double gradNorm, double lr, int optimiserSteps, PerToken[] tokens) {}

    /** Row i's per-token view from the first ppo epoch: what --dump-tokens writes. */
    public record PerToken(float[] ratio, int[] clipped, float[] kl, float[] entropy) {}

    /** Runs the optimiser steps on {@code batch} with advantages {@code adv}. */
    public Stats optimise(List<Trajectory> batch, float[][] adv, int generationStep) {
        int groups = batch.get(batch.size() - 1).group() + 1, n = batch.size() / groups;
        int perMini = train.ppoBatchSize(), perBackward = perMini * n / train.gradientAccumulationSteps();
        boolean[] keep = kept(batch);
        Totals sum = new Totals(batch.size());
        for (int epoch = 0; epoch < train.ppoEpochs(); epoch++) {
            int[] order = new Rng(seed * 1_000_003L + generationStep * 7919L + epoch).permutation(groups);
            for (int m = 0; m < groups; m += perMini) {                       // one mini-batch: whole groups
                List<Integer> rows = new ArrayList<>(perMini * n);
                for (int g = m; g < m + perMini; g++) for (int j = 0; j < n; j++) if (keep[order[g] * n + j]) rows.add(order[g] * n + j);
                if (rows.isEmpty()) continue;                                     // every group dropped: no step
                double normaliser = alg.tokenMean() ? rows.stream().mapToLong(i -> batch.get(i).length()).sum() : rows.size();
                List<List<Integer>> parts = new ArrayList<>();                    // gradient accumulation: backward batches
                for (int b0 = 0; b0 < rows.size(); b0 += perBackward) parts.add(rows.subList(b0, Math.min(b0 + perBackward, rows.size())));
                List<Backward> done;
                try {
                    done = backwards.run(this, generationStep, batch, adv, parts, normaliser);
                } catch (ArithmeticException e) {
                    opt.zeroGrad();                                               // nothing half-summed is left behind
                    throw e;
                }
                for (int k = 0; k < parts.size(); k++) add(done.get(k), batch, parts.get(k), sum, epoch == 0);
                sum.lr += opt.lr();
                sum.gradNorm += SftStep.update(opt, train.clipGradNorm());
                sum.steps++;
            }
        }
        return sum.stats();
    }

    /**
     * Where a mini-batch's backward passes run, all on the same weights: here, one after another
     * (the default), or on other machines (the cluster module), which send back each pass's
     * gradient contributions for {@link #add} to sum here in the same order.
     */
    public interface Backwards {
        List<Backward> run(PolicyUpdate update, int generationStep, List<Trajectory> batch, float[][] adv, List<List<Integer>> parts, double normaliser);
    }

    private Backwards backwards = (u, generationStep, batch, adv, parts, normaliser) -> {
        List<Backward> out = new ArrayList<>(parts.size());
        try (var constant = DeviceWeights.scope()) {                              // weights change only at the update
            for (List<Integer> part : parts) out.add(u.backward(batch, adv, part, normaliser));
        }
        return out;
    };

    /** Runs step IV's backward passes elsewhere from now on. */
    public void backwardsRunBy(Backwards b) {
        backwards = b;
    }

    /**
     * What one backward pass sends back: its share of the loss terms, each row's per-token view,
     * the old log-probs its forward wrote (one on-policy pass; else null) and, when it ran on
     * another machine, every gradient contribution it made, by parameter, in order (else null: the
     * pass added them to this policy's gradients itself).
     */
    public record Backward(double pgLoss, double klLoss, float[][] ratio, int[][] clipped, float[][] kl, float[][] entropy,
                           float[][] oldLogProbs, Map<String, List<float[]>> gradient) implements java.io.Serializable {}

    /** One backward pass over {@code part} of a mini-batch, its gradient added to the parameters'. */
    public Backward backward(List<Trajectory> batch, float[][] adv, List<Integer> part, double normaliser) {
        List<Tensor> images = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>(), responses = new ArrayList<>();
        float[][] old = new float[part.size()][], ref = new float[part.size()][], a = new float[part.size()][];
        boolean useRef = alg.klLossCoeff() > 0;
        for (int k = 0; k < part.size(); k++) {
            Trajectory t = batch.get(part.get(k));
            images.add(t.query().pixels());
            prompts.add(t.query().promptIds());
            responses.add(t.response());
            old[k] = t.oldLogProbs();
            ref[k] = t.refLogProbs();
            a[k] = adv[part.get(k)];
            useRef &= t.refLogProbs() != null;
        }
        LogProbs.Scored now = LogProbs.withEntropy(policy, images, prompts, responses);
        if (oldFromHere) {                       // no weight has changed yet: these are the old log-probs
            float[] v = now.logProbs().value.data();
            int R = now.logProbs().shape()[1];
            for (int k = 0; k < part.size(); k++) {
                System.arraycopy(v, k * R, old[k], 0, old[k].length);
                for (float x : old[k])
                    if (!Float.isFinite(x))
                        throw new ArithmeticException("the policy's log-prob of response " + part.get(k) + " is " + x
                                + ": the weights hold NaN or infinity; stopping before the weights are touched");
            }
        }
        PolicyLoss.Result r = PolicyLoss.compute(now.logProbs(), old, useRef ? ref : null, a,
                alg.epsilonLow(), alg.epsilonHigh(), alg.klLossCoeff(), alg.tokenMean(), normaliser);
        double value = r.loss().item();
        if (!Double.isFinite(value)) throw new ArithmeticException("policy loss is " + value + ": stopping before the weights are touched");
        if (r.loss().needsGrad()) r.loss().backward();
        float[][] entropy = new float[part.size()][];
        int R = now.entropy().dim(1);
        for (int k = 0; k < part.size(); k++)
            entropy[k] = java.util.Arrays.copyOfRange(now.entropy().data(), k * R, k * R + r.ratio()[k].length);
        return new Backward(r.pgLoss(), r.klLoss(), r.ratio(), r.clipped(), r.kl(), entropy, oldFromHere ? old : null, null);
    }

    /**
     * {@link #backward} on another machine's copy of the policy: the same pass, with every
     * gradient contribution recorded ({@link Var#recordGradientsInto}) and sent back instead of
     * added to that copy's gradients.
     */
    public Backward backwardRecorded(List<Trajectory> batch, float[][] adv, List<Integer> part, double normaliser) {
        Map<String, List<Tensor>> into = new LinkedHashMap<>();
        for (Map.Entry<String, Var> p : policy.parameters().entrySet())
            if (p.getValue().needsGrad()) p.getValue().recordGradientsInto(into.computeIfAbsent(p.getKey(), k -> new ArrayList<>()));
        Backward b;
        try {
            b = backward(batch, adv, part, normaliser);
        } finally {
            for (Var p : policy.parameters().values()) p.recordGradientsInto(null);
        }
        Map<String, List<float[]>> gradient = new LinkedHashMap<>();
        for (Map.Entry<String, List<Tensor>> e : into.entrySet())
            if (!e.getValue().isEmpty()) gradient.put(e.getKey(), new ArrayList<>(e.getValue().stream().map(Tensor::data).toList()));
        return new Backward(b.pgLoss(), b.klLoss(), b.ratio(), b.clipped(), b.kl(), b.entropy(), b.oldLogProbs(), gradient);
    }

    /** A finished backward pass, in one-machine order: its gradient (when it ran elsewhere), its old log-probs, its statistics. */
    private void add(Backward b, List<Trajectory> batch, List<Integer> part, Totals sum, boolean keepTokens) {
        if (b.gradient() != null) {
            Map<String, Var> params = policy.parameters();
            for (Map.Entry<String, List<float[]>> e : b.gradient().entrySet()) {
                Var p = params.get(e.getKey());
                for (float[] g : e.getValue()) p.accumulate(Tensor.wrap(g, p.value.shape()));
            }
        }
        if (b.oldLogProbs() != null)
            for (int k = 0; k < part.size(); k++) {
                float[] mine = batch.get(part.get(k)).oldLogProbs();
                if (mine != b.oldLogProbs()[k]) System.arraycopy(b.oldLogProbs()[k], 0, mine, 0, mine.length);
            }
        sum.add(b, part, keepTokens);
    }

    /** Running sums over a generation step's backward passes, for {@link Stats}. */
    private static final class Totals {
        double pg, klLoss, gradNorm, lr, kl, entropy, ratio;
        long tokens, clipLow, clipHigh;
        int steps;
        final PerToken[] perToken;

        Totals(int rows) {
            perToken = new PerToken[rows];
        }

        void add(Backward r, List<Integer> part, boolean keepTokens) {
            pg += r.pgLoss();        // each backward pass holds its share of the mini-batch's loss
            klLoss += r.klLoss();
            for (int k = 0; k < part.size(); k++) {
                int len = r.ratio()[k].length;
                float[] e = r.entropy()[k];
                for (int t = 0; t < len; t++) {
                    kl += r.kl()[k][t];
                    this.entropy += e[t];
                    ratio += r.ratio()[k][t];
                    if (r.clipped()[k][t] < 0) clipLow++;
                    if (r.clipped()[k][t] > 0) clipHigh++;
                }
                tokens += len;
                if (keepTokens) perToken[part.get(k)] = new PerToken(r.ratio()[k], r.clipped()[k], r.kl()[k], e);
            }
        }

        Stats stats() {
            return new Stats(pg / steps, klLoss / steps, kl / tokens, entropy / tokens, ratio / tokens,
                    (double) clipLow / tokens, (double) clipHigh / tokens, gradNorm / steps, lr / steps, steps, perToken);
        }
    }
}
