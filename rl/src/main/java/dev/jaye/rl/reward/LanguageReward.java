// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

import dev.jaye.eval.judge.LanguageCheck;

/**
 * A penalty for leaving English: 0 when the response passes {@link LanguageCheck#ENGLISH},
 * else {@link RewardSettings#languagePenalty()}.
 *
 * <p>Why a penalty rather than a bonus: staying in English is expected, not an achievement;
 * rewarding it would pay the policy for the prompt's own language. The check is strict (one
 * Han or Cyrillic letter fails) and ignores digits, symbols and LaTeX, so a formula costs
 * nothing; see {@link LanguageCheck} for why.
 */
public final class LanguageReward implements Reward {
    private final double penalty;

    public LanguageReward(RewardSettings settings) {
        this.penalty = settings.languagePenalty();
    }

    @Override
    public String name() {
        return "language";
    }

    @Override
    public double score(Response r) {
        return LanguageCheck.ENGLISH.passes(r.text()) ? 0.0 : penalty;
    }
}
