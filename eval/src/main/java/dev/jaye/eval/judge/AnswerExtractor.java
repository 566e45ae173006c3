// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.judge;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The final answer of a response.
 *
 * <p>The rule of the method (docs/method.md, "Rewards"): the answer is the content of the
 * <b>last</b> {@code \boxed{...}}, braces matched so that {@code \boxed{\frac{3}{4}}} gives
 * {@code \frac{3}{4}}. A {@code \boxed{}} that is never closed (a response cut off by the token
 * limit) is skipped and the last closed one counts: what the model finished writing is its
 * answer. {@link #boxed} applies this rule alone; that is what the accuracy reward uses.
 *
 * <p>{@link #extract} adds a fallback for responses with no closed {@code \boxed{}}, so that the
 * evaluator can still report what an untrained model meant:
 * <ol>
 *   <li>after the last "answer is" or "answer:" (any case), the <em>first</em> number: in
 *       "the answer is 12 cm because 3 × 4 = 12" the answer comes right after the marker and
 *       the later numbers are the working;</li>
 *   <li>otherwise the <em>last</em> number of the response: a reasoning ends on its result.</li>
 * </ol>
 * A number here is an optional minus, digits with optional thousands commas (groups of exactly
 * three), an optional decimal part and an optional {@code /denominator}: the forms that
 * {@link NumericJudge} reads. Nothing found gives {@link Optional#empty()}.
 */
public final class AnswerExtractor {
    private AnswerExtractor() {}

    /** Where an answer came from: the boxed rule or one of the two fallbacks. */
    public enum Source { BOXED, AFTER_MARKER, LAST_NUMBER }

    /** An extracted answer and the rule that found it. */
    public record Answer(String text, Source source) {}

    private static final String BOXED = "\\boxed";

    /** "answer is" / "answer:"; the last one in the text wins. */
    private static final Pattern MARKER = Pattern.compile("answer\\s*(?:is\\b|:)", Pattern.CASE_INSENSITIVE);

    /**
     * A number as written in prose. The lookbehind keeps "x2" or "3.5.1" from yielding a number
     * from their middle; thousands groups must be exactly three digits, so "1,2,3" is three numbers.
     */
    static final Pattern NUMBER = Pattern.compile(
            "(?<![\\w.])-?(?:[1-9]\\d{0,2}(?:,\\d{3})+(?!\\d)|\\d+)(?:\\.\\d+)?(?:/\\d+(?:\\.\\d+)?)?");

    /** The final answer: the last closed {@code \boxed{}}, else the fallback rules above. */
    public static Optional<Answer> extract(String response) {
        Optional<String> boxed = boxed(response);
        if (boxed.isPresent()) return Optional.of(new Answer(boxed.get(), Source.BOXED));
        Matcher marker = MARKER.matcher(response);
        int afterMarker = -1;
        while (marker.find()) afterMarker = marker.end();
        if (afterMarker >= 0) {
            Matcher n = NUMBER.matcher(response).region(afterMarker, response.length());
            if (n.find()) return Optional.of(new Answer(n.group(), Source.AFTER_MARKER));
        }
        Matcher n = NUMBER.matcher(response);
        String last = null;
        while (n.find()) last = n.group();
        return Optional.ofNullable(last).map(s -> new Answer(s, Source.LAST_NUMBER));
    }

    /** The content of the last closed {@code \boxed{...}}, trimmed; empty when there is none. */
    public static Optional<String> boxed(String response) {
        // Walk the \boxed occurrences from the end; the first one that closes is the answer.
        for (int at = response.lastIndexOf(BOXED); at >= 0; at = response.lastIndexOf(BOXED, at - 1)) {
            int open = at + BOXED.length();
            while (open < response.length() && Character.isWhitespace(response.charAt(open))) open++;
            if (open >= response.length() || response.charAt(open) != '{') continue;   // \boxed without a brace
            int close = matchingBrace(response, open);
            if (close >= 0) return Optional.of(response.substring(open + 1, close).strip());
        }
        return Optional.empty();
    }

    /**
     * The index of the brace closing the one at {@code open}, or -1. An escaped brace
     * ({@code \{}, {@code \}}: literal braces in LaTeX, as in a set) does not count, so
     * {@code \boxed{\{1\}}} closes at its last brace. The format reward matches boxes with it too.
     */
    public static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') { i++; continue; }                  // skip the escaped character
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }
}
