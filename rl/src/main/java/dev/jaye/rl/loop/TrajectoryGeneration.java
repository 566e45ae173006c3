// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.eval.Evaluator;
import dev.jaye.models.Vlm;
import dev.jaye.models.generate.Generator;
import dev.jaye.models.generate.LogProbs;
import dev.jaye.rl.reward.Response;
import dev.jaye.rl.reward.Reward;
import dev.jaye.rl.reward.Rewards;
import dev.jaye.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Step III of the method, trajectory generation: each query's ids are joined to each of its
 * responses (masks and positions rebuilt inside {@link LogProbs}), the policy before the update
 * ("old") and the frozen reference model score every response token, {@code forwardBatchSize}
 * query-responses per forward pass, and the rule-based rewards score the text.
 *
 * <p>The reference pass is skipped when no KL term uses it (both KL coefficients 0): it would
 * cost one more forward over the batch for nothing. The policy pass is skipped when step IV is one
 * on-policy pass ({@link RlConfig#oldLogProbsFromTheUpdate}): its forward computes the same
 * log-probs before any weight changes, and fills each trajectory's old log-probs then.
 */
public final class TrajectoryGeneration {
    private final Vlm policy, reference;
    private final List<Reward> rewards;
    private final int forwardBatchSize;
    private final boolean oldFromUpdate;

    /** Old log-probs computed here, by a forward of the policy. */
    public TrajectoryGeneration(Vlm policy, Vlm reference, List<Reward> rewards, int forwardBatchSize) {
        this(policy, reference, rewards, forwardBatchSize, false);
    }

    /**
     * @param reference     the frozen starting policy, or null when no KL term needs it
     * @param oldFromUpdate leave the old log-probs to step IV's forward (zeros until it runs)
     */
    public TrajectoryGeneration(Vlm policy, Vlm reference, List<Reward> rewards, int forwardBatchSize, boolean oldFromUpdate) {
        this.policy = policy;
        this.reference = reference;
        this.rewards = rewards;
        this.forwardBatchSize = forwardBatchSize;
        this.oldFromUpdate = oldFromUpdate;
    }

    /** One trajectory per response; {@code responses} row q·n + j answers query q. */
    public List<Trajectory> build(List<Query> queries, List<Generator.Response> responses) {
        return build(queries, responses.size() / queries.size(), 0, responses);
    }

    /**
     * The trajectories of rows {@code from} to {@code from + responses.size()} of the whole
     * batch (n responses per query), each as {@link #build(List, List)} makes it when {@code from}
     * is a multiple of forward_batch_size: the forward passes then cut the rows where the whole
     * batch's do. A cluster splits step III this way.
     */
    public List<Trajectory> build(List<Query> queries, int n, int from, List<Generator.Response> responses) {
        if (from % forwardBatchSize != 0)
            throw new IllegalArgumentException("a part of the batch must start at a multiple of forward_batch_size " + forwardBatchSize + ", not " + from);
        List<Tensor> images = new ArrayList<>(responses.size());
        List<int[]> prompts = new ArrayList<>(responses.size()), ids = new ArrayList<>(responses.size());
        for (int i = 0; i < responses.size(); i++) {
            Query q = queries.get((from + i) / n);
            images.add(q.pixels());
            prompts.add(q.promptIds());
            ids.add(responses.get(i).ids());
        }
        float[][] old;
        if (oldFromUpdate) {
            old = new float[ids.size()][];
            for (int i = 0; i < old.length; i++) old[i] = new float[ids.get(i).length];
        } else {
            old = LogProbs.compute(policy, images, prompts, ids, forwardBatchSize);
            finite(old, "policy", from);
        }
        float[][] ref = reference == null ? null : LogProbs.compute(reference, images, prompts, ids, forwardBatchSize);
        if (ref != null) finite(ref, "reference model", from);

        List<Trajectory> out = new ArrayList<>(responses.size());
        for (int i = 0; i < responses.size(); i++) {
            int group = (from + i) / n;
            Query q = queries.get(group);
            Generator.Response r = responses.get(i);
            Response seen = new Response(q.sample(), r.ids(), r.text(), r.finished());
            Map<String, Double> scores = Rewards.scores(rewards, seen);
            out.add(new Trajectory(q, group, r.ids(), r.text(), r.finished(), r.logProbs(), old[i], ref == null ? null : ref[i],
                    scores, Rewards.total(scores, seen), Evaluator.correct(r.text(), q.sample().answer())));
        }
        return out;
    }

    /** A NaN here means the weights went bad: stop now, before a reward or an update is built on it. */
    private static void finite(float[][] logProbs, String model, int from) {
        for (int i = 0; i < logProbs.length; i++)
            for (int j = 0; j < logProbs[i].length; j++)
                if (!Float.isFinite(logProbs[i][j]))
                    throw new ArithmeticException("the " + model + "'s log-prob of response " + (from + i) + " token " + j + " is " + logProbs[i][j]
                            + ": the weights hold NaN or infinity; stopping before the weights are touched");
    }
}
