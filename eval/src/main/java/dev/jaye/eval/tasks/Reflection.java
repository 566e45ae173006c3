// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reflection in gold solutions. The method counts 15 reflection words in responses
 * (docs/method.md); a model that never saw one in supervised data is unlikely to start, so a
 * chosen fraction of gold solutions re-check their answer before stating it, with an opener that
 * contains one of the words. Solutions without reflection contain none of them.
 */
public final class Reflection {
    private Reflection() {}

    /** The method's 15 reflection words and phrases. */
    public static final List<String> WORDS = List.of("re-check", "re-evaluate", "re-examine", "re-think", "recheck",
            "reevaluate", "reexamine", "reevaluation", "rethink", "check again", "think again", "try again", "verify", "wait", "yet");

    /** Openers placed before a re-computation; each holds at least one of the words. */
    public static final List<String> OPENERS = List.of(
            "Wait, let me re-check: ", "Let me verify: ", "Let me check again: ", "Wait, let me re-examine: ",
            "Let me think again: ", "Let me recheck: ", "Let me re-evaluate: ", "Wait, let me verify: ");

    private static final Pattern ANY = Pattern.compile("\\b(" + String.join("|", WORDS.stream().map(Pattern::quote).toList()) + ")\\b",
            Pattern.CASE_INSENSITIVE);

    /** An opener with probability {@code fraction}, else null. Always draws the same number of values. */
    public static String draw(Rng rng, double fraction) {
        boolean reflect = rng.uniform() < fraction;
        String opener = OPENERS.get(rng.nextInt(OPENERS.size()));
        return reflect ? opener : null;
    }

    /** Whether a text holds any reflection word (whole words, any case). */
    public static boolean contains(String text) {
        return ANY.matcher(text.toLowerCase(Locale.ROOT)).find();
    }
}
