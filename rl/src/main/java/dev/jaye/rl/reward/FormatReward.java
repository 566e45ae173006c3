// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

import dev.jaye.eval.judge.AnswerExtractor;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link RewardSettings#formatReward()} for a response that ends on its answer: exactly one
 * {@code \boxed{...}}, closed, with nothing but whitespace after its closing brace; else 0.
 *
 * <p>Why each part: one box, because with several the accuracy rule takes the last and a policy
 * could hedge by boxing every candidate; closed, because an unclosed box is no answer; last,
 * because text after the answer is the habit of not knowing when to stop. The box need not be
 * right: this rewards the form, the accuracy reward the content. Other systems use a reward
 * like this; the method leaves it off by default, and so do jaye's configs.
 */
public final class FormatReward implements Reward {
    /** The opening of a box as {@link AnswerExtractor#boxed} reads it: whitespace may precede the brace. */
    private static final Pattern OPEN = Pattern.compile("\\\\boxed\\s*\\{");

    private final double reward;

    public FormatReward(RewardSettings settings) {
        this.reward = settings.formatReward();
    }

    @Override
    public String name() {
        return "format";
    }

    @Override
    public double score(Response r) {
        String text = r.text();
        Matcher m = OPEN.matcher(text);
        if (!m.find()) return 0.0;
        int open = m.end() - 1;
        if (m.find()) return 0.0;                                   // a second box
        // The extractor's brace matching, so that both rewards agree on what a closed box is.
        int close = AnswerExtractor.matchingBrace(text, open);
        return close >= 0 && text.substring(close + 1).isBlank() ? reward : 0.0;
    }
}
