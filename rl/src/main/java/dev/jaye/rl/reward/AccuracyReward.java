// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

import dev.jaye.eval.Evaluator;

/**
 * 1 when the response's final answer is right, else 0: the method's main reward.
 *
 * <p>The rule is {@link Evaluator#correct}, the very one the evaluator judges with: the content
 * of the last closed {@code \boxed{}}, numerically equal to the reference ({@code 12.0} is
 * {@code 12}). Sharing it keeps the training curve and the evaluation tables measuring the same
 * thing. A response with no closed box scores 0, however right its prose.
 */
public final class AccuracyReward implements Reward {
    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public double score(Response r) {
        return Evaluator.correct(r.text(), r.sample().answer()) ? 1.0 : 0.0;
    }
}
