// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

/**
 * {@link RewardSettings#rewardPenalty()} for a response that did not finish (no {@code <eos>})
 * or has fewer than {@link RewardSettings#minResponseLength()} tokens, {@code <eos>} included;
 * else 0. Both at once still cost one penalty: the rule is "a bad ending", not a tally.
 *
 * <p>Why: a response cut off by the token limit has no score-bearing end, and the accuracy
 * reward alone would treat rambling and stopping alike (both 0 without a box). A very short
 * response is usually a bare guess with no reasoning to reinforce.
 */
public final class PenaltyReward implements Reward {
    private final double penalty;
    private final int minLength;

    public PenaltyReward(RewardSettings settings) {
        this.penalty = settings.rewardPenalty();
        this.minLength = settings.minResponseLength();
    }

    @Override
    public String name() {
        return "penalty";
    }

    @Override
    public double score(Response r) {
        return !r.finished() || r.ids().length < minLength ? penalty : 0.0;
    }
}
