// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

/**
 * The advantage estimator: how the trainer turns the scores of sampled responses into a
 * per-token signal of "better or worse than expected". Config names: reinforce_pp, grpo,
 * dr_grpo, rloo. See {@link Advantages} for the formulas.
 */
public enum Estimator {
    /** Discounted returns of a KL-shaped reward, no baseline but batch normalisation (REINFORCE++). */
    REINFORCE_PP,
    /** Score minus its group's mean, over the group's std (GRPO, DeepSeekMath). */
    GRPO,
    /** Score minus its group's mean, nothing more (Dr. GRPO: the std division biases toward easy and hard questions). */
    DR_GRPO,
    /** Score minus the mean of the other responses to the same query (REINFORCE Leave-One-Out). */
    RLOO;

    /** Parses a config name (case-insensitive, '-' accepted for '_'); an unknown name is an error listing the known ones. */
    public static Estimator parse(String name) {
        return ConfigNames.parse(Estimator.class, name, "advantage estimator");
    }

    /**
     * Whether a response is measured against the other responses to its query (GRPO, Dr. GRPO,
     * RLOO). Where it is, a group whose responses all scored the same has advantage 0 and gives no
     * signal; REINFORCE++ compares with the whole batch instead, so such a group still counts.
     */
    public boolean groupBaseline() {
        return this != REINFORCE_PP;
    }

    /** The config name, e.g. "dr_grpo". */
    public String configName() {
        return ConfigNames.of(this);
    }
}
