// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reflection words and the five reflection ratios of the evaluation scheme (docs/method.md).
 *
 * <p><b>Counting.</b> Each of the 15 {@link #WORDS} is matched case-insensitively as a whole
 * word: not preceded or followed by a letter, digit, underscore or hyphen. So "waiting" and
 * "yeti" count nothing, "reevaluation" counts only as reevaluation (never also as a
 * reevaluate-like prefix), "verified" is not "verify" (the list names word forms, not stems),
 * and a hyphen belongs to the word: "re-check again" is one re-check and no "check again".
 * The words of a phrase may be separated by any white space ("check\nagain"). Matches of
 * different entries never overlap because of these boundaries, so a response's counts add up.
 *
 * <p><b>Ratios.</b> With N responses, N_ref of them holding at least one reflection word, N+
 * correct, N_ref+ correct with reflection:
 * <pre>
 *   reflection_ratio                      = N_ref / N
 *   reflection_ratio_in_correct_answers   = N_ref+ / N+
 *   reflection_ratio_in_incorrect_answers = (N_ref − N_ref+) / (N − N+)
 *   correct_ratio_in_reflection_texts     = N_ref+ / N_ref
 *   correct_ratio_in_no_reflection_texts  = (N+ − N_ref+) / (N − N_ref)
 * </pre>
 * <b>A zero denominator gives NaN</b>, not 0. "Reflection among correct answers" in a batch with
 * no correct answer is undefined; 0 would claim "no correct answer reflected", which is false,
 * and would pull the curve of an early, mostly wrong model to 0 for no reason. A NaN is a gap in
 * a plot and is skipped by averages that are written to skip it (the report does); JSON has no
 * NaN, so the JSON writer must write it as null.
 */
public final class Reflection {
    private Reflection() {}

    /** The 15 reflection words and phrases, in the order of the method. */
    public static final List<String> WORDS = List.of(
            "re-check", "re-evaluate", "re-examine", "re-think", "recheck", "reevaluate", "reexamine",
            "reevaluation", "rethink", "check again", "think again", "try again", "verify", "wait", "yet");

    // One pattern per word, so that each count is one matcher loop; boundaries as described above.
    private static final List<Pattern> PATTERNS = WORDS.stream()
            .map(w -> Pattern.compile("(?<![\\p{L}\\p{N}_-])" + Pattern.quote(w).replace(" ", "\\E\\s+\\Q")
                    + "(?![\\p{L}\\p{N}_-])", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE))
            .toList();

    /** Occurrences of each reflection word in {@code text}, all 15 keys in {@link #WORDS} order. */
    public static Map<String, Integer> counts(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < WORDS.size(); i++) {
            Matcher m = PATTERNS.get(i).matcher(text);
            int n = 0;
            while (m.find()) n++;
            counts.put(WORDS.get(i), n);
        }
        return counts;
    }

    /** Whether {@code text} holds at least one reflection word. */
    public static boolean reflects(String text) {
        return PATTERNS.stream().anyMatch(p -> p.matcher(text).find());
    }

    /** The five ratios; field names are the method's keys in camel case. */
    public record Ratios(double reflectionRatio, double reflectionRatioInCorrectAnswers,
                         double reflectionRatioInIncorrectAnswers, double correctRatioInReflectionTexts,
                         double correctRatioInNoReflectionTexts) {

        /** From the four counts of the method: N, N_ref, N+, N_ref+. */
        public static Ratios of(int n, int nRef, int nCorrect, int nRefCorrect) {
            if (nRefCorrect > nRef || nRefCorrect > nCorrect || nRef > n || nCorrect > n || nRefCorrect < 0
                    || nRef + nCorrect - nRefCorrect > n)
                throw new IllegalArgumentException("inconsistent counts N=" + n + " N_ref=" + nRef
                        + " N+=" + nCorrect + " N_ref+=" + nRefCorrect);
            return new Ratios(ratio(nRef, n), ratio(nRefCorrect, nCorrect), ratio(nRef - nRefCorrect, n - nCorrect),
                    ratio(nRefCorrect, nRef), ratio(nCorrect - nRefCorrect, n - nRef));
        }

        /** The method's snake_case keys, in the method's order. */
        public Map<String, Double> toMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("reflection_ratio", reflectionRatio);
            m.put("reflection_ratio_in_correct_answers", reflectionRatioInCorrectAnswers);
            m.put("reflection_ratio_in_incorrect_answers", reflectionRatioInIncorrectAnswers);
            m.put("correct_ratio_in_reflection_texts", correctRatioInReflectionTexts);
            m.put("correct_ratio_in_no_reflection_texts", correctRatioInNoReflectionTexts);
            return m;
        }
    }

    /** The ratios over a batch: {@code responses.get(i)} was judged {@code correct[i]}. */
    public static Ratios ratios(List<String> responses, boolean[] correct) {
        if (responses.size() != correct.length)
            throw new IllegalArgumentException(responses.size() + " responses but " + correct.length + " judgements");
        int nRef = 0, nCorrect = 0, nRefCorrect = 0;
        for (int i = 0; i < correct.length; i++) {
            boolean ref = reflects(responses.get(i));
            if (ref) nRef++;
            if (correct[i]) nCorrect++;
            if (ref && correct[i]) nRefCorrect++;
        }
        return Ratios.of(correct.length, nRef, nCorrect, nRefCorrect);
    }

    /** a / b, NaN when b is 0 (see the class comment). */
    static double ratio(int a, int b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
