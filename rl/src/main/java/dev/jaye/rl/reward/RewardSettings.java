// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

/**
 * The reward settings of an RL run; the trainer builds this from its config section.
 * One record for all rewards, so that a user's reward can read any setting through the same
 * constructor the built-ins use.
 *
 * @param rewardPenalty     given to a response that did not finish or is too short (negative)
 * @param minResponseLength the fewest tokens, {@code <eos>} included, a response may have
 * @param languagePenalty   given to a response with letters outside English (negative)
 * @param formatReward      given to a response that ends on its single box (positive)
 */
public record RewardSettings(double rewardPenalty, int minResponseLength, double languagePenalty, double formatReward) {
    public RewardSettings {
        // A NaN here would pass every step silently and poison the whole batch's advantages.
        check("reward_penalty", rewardPenalty);
        check("language_penalty", languagePenalty);
        check("format_reward", formatReward);
        if (minResponseLength < 0)
            throw new IllegalArgumentException("min_response_length must be >= 0, got " + minResponseLength);
    }

    /** The laptop-scale defaults: rewardPenalty -0.1, minResponseLength 4, languagePenalty -1.0, formatReward 0.5. */
    public static RewardSettings defaults() {
        return new RewardSettings(-0.1, 4, -1.0, 0.5);
    }

    private static void check(String key, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(key + " must be a finite number, got " + v);
    }
}
