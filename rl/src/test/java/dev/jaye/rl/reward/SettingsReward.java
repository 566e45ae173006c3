// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

/**
 * A user's reward with both constructors, loaded by name in {@link RewardsTest}. It scores the
 * settings' format reward, or -1 when built without settings, so a test can see which
 * constructor the registry chose.
 */
public final class SettingsReward implements Reward {
    private final double value;

    public SettingsReward(RewardSettings settings) {
        this.value = settings.formatReward();
    }

    public SettingsReward() {
        this.value = -1;
    }

    @Override
    public String name() {
        return "settings";
    }

    @Override
    public double score(Response r) {
        return value;
    }
}
