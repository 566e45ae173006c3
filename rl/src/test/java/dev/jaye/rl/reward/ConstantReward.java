// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

/** A user's reward with only a no-argument constructor, loaded by name in {@link RewardsTest}. */
public final class ConstantReward implements Reward {
    @Override
    public String name() {
        return "constant";
    }

    @Override
    public double score(Response r) {
        return 0.25;
    }
}
