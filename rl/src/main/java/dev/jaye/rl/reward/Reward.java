// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

/**
 * A rule-based reward: one number per response, from the response alone (no model involved).
 *
 * <p>A run's score for a response is the sum of its rewards ({@link Rewards#total}); each one
 * is also logged on its own, so a curve shows which rule the policy is learning to satisfy.
 *
 * <p>To add a reward, write one class that implements this and name it in the config by its
 * fully qualified name: {@code rewards: [accuracy, com.example.MyReward]}. {@link Rewards#of}
 * constructs it with a public constructor taking {@link RewardSettings} if there is one, else
 * a public no-argument one. A reward should be a pure function of the response: the same
 * response, the same score, so that runs are reproducible.
 */
public interface Reward {
    /** The key this reward is logged under: metrics.jsonl gets {@code "reward/<name>"}. Unique within a run. */
    String name();

    /** This reward's score for {@code r}; must be a finite number. */
    double score(Response r);
}
