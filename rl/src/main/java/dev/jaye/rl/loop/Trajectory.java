// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import java.util.Map;

/**
 * Step III's output for one response: everything the loss and the metrics need, in one record.
 *
 * @param query            the query answered (pixels, prompt ids, sample with the reference answer)
 * @param group            the query's position in this generation step's batch: responses to the
 *                         same query share it, and the group estimators compare within it
 * @param response         the response ids, {@code <eos>} included when the response finished
 * @param text             the response decoded, without special tokens
 * @param finished         the response ended with {@code <eos>} (else it hit max_tokens)
 * @param rolloutLogProbs  log p(token) as the generator reported while sampling
 * @param oldLogProbs      log p(token) under the policy before the update, recomputed (the PPO ratio's
 *                         denominator); when step IV is one on-policy pass, written by its forward
 *                         before any weight changes ({@link RlConfig#oldLogProbsFromTheUpdate})
 * @param refLogProbs      log p(token) under the frozen reference model, or null when no KL term needs it
 * @param rewards          each reward's value, by name
 * @param score            the sum of the rewards: what the advantage estimators see
 * @param correct          the evaluator's correctness rule (the last \boxed{} equals the answer)
 */
public record Trajectory(Query query, int group, int[] response, String text, boolean finished,
                         float[] rolloutLogProbs, float[] oldLogProbs, float[] refLogProbs,
                         Map<String, Double> rewards, double score, boolean correct) {

    /** Response tokens, {@code <eos>} included: the valid (masked-in) positions of the loss. */
    public int length() {
        return response.length;
    }
}
