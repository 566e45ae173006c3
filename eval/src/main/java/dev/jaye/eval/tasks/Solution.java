// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import java.util.List;

/**
 * A gold solution in parts, so the dataset writer can decide where a reflection goes: the
 * reasoning steps, then (sometimes) a reflection opener followed by {@code check}, an
 * independent re-computation of the answer, then "The answer is \boxed{answer}".
 *
 * @param steps  sentences of reasoning, in order
 * @param check  a lower-case clause that re-derives the answer another way ("4 * 7 = 28."), or
 *               null when the sample has no numeric answer (captions)
 * @param answer the final answer
 * @param boxed  whether the text ends in \boxed{answer} (false for captions, whose solution is
 *               the caption itself)
 */
public record Solution(List<String> steps, String check, String answer, boolean boxed) {
    public Solution {
        steps = List.copyOf(steps);
    }

    public static Solution boxed(List<String> steps, String check, Object answer) {
        return new Solution(steps, check, String.valueOf(answer), true);
    }

    /** The text; {@code reflection} is an opener such as "Wait, let me re-check: ", or null for none. */
    public String text(String reflection) {
        StringBuilder sb = new StringBuilder(String.join(" ", steps));
        if (reflection != null && check != null) sb.append(' ').append(reflection).append(check);
        if (boxed) sb.append(" The answer is \\boxed{").append(answer).append('}');
        return sb.toString();
    }
}
