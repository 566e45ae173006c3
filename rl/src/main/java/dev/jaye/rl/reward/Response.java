// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

import dev.jaye.eval.data.Sample;

import java.util.Objects;

/**
 * What a reward sees of one response: the query it answers and what the policy wrote.
 *
 * <p>Both forms of the response are here because the rules need both: the accuracy and
 * language rules read text, the length penalty counts tokens (a token count does not depend
 * on how a tokenizer happens to decode, and it is the length the metrics report).
 *
 * @param sample   the query, with its reference answer and id
 * @param ids      the response token ids, {@code <eos>} included when finished; not copied,
 *                 so a reward must read it and never write it
 * @param text     the response decoded without special tokens
 * @param finished whether the response ended with {@code <eos>} (false: cut off by the token limit)
 */
public record Response(Sample sample, int[] ids, String text, boolean finished) {
    public Response {
        // Fail where the response is built, not later inside some reward's score.
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(text, "text");
    }
}
