// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.judge;

import java.lang.Character.UnicodeScript;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether a response stays in the expected language: the test behind the method's language
 * reward (docs/method.md, "Rewards").
 *
 * <p>Only <em>letters</em> are judged ({@link Character#isLetter}), by their Unicode script;
 * letters of no particular script (COMMON or INHERITED, such as ℝ or the math italic 𝑥) are
 * neutral like the rest. Digits, punctuation, spaces, math symbols ({@code +}, {@code ≤}, {@code ∑}), arrows and LaTeX
 * (which is made of ASCII) are neutral in every language, so a formula never costs a response
 * anything. The measure is the fraction of letters whose script is not allowed; a response
 * passes when that fraction is at most the threshold. A response with no letters at all has
 * fraction 0 and passes.
 *
 * <p>{@link #ENGLISH} allows Latin (with accents: "Poincaré" is English text) and Greek, because
 * π, θ and α are the letters of mathematics; its threshold is 0, so one Chinese or Cyrillic
 * letter fails the response. Drift into another language is what the reward must catch, and
 * a small model that emits a single stray Han character is already drifting. A threshold above
 * 0 is there for languages that quote others (a Chinese answer citing an English name).
 */
public record LanguageCheck(Set<UnicodeScript> allowed, double maxForeignFraction) {

    /** English: Latin and Greek letters only, no foreign letter tolerated. */
    public static final LanguageCheck ENGLISH = new LanguageCheck(EnumSet.of(UnicodeScript.LATIN, UnicodeScript.GREEK), 0);

    /** Chinese: Han, plus Latin and Greek for variable names and units; no other letters. */
    public static final LanguageCheck CHINESE =
            new LanguageCheck(EnumSet.of(UnicodeScript.HAN, UnicodeScript.LATIN, UnicodeScript.GREEK), 0);

    public LanguageCheck {
        allowed = Set.copyOf(allowed);
        if (!(maxForeignFraction >= 0 && maxForeignFraction <= 1))
            throw new IllegalArgumentException("maxForeignFraction must be in [0, 1], got " + maxForeignFraction);
    }

    /** Letters of {@code text} whose script is not allowed. */
    public int foreignLetters(String text) {
        return (int) text.codePoints().filter(LanguageCheck::judged).filter(cp -> !allowed.contains(UnicodeScript.of(cp))).count();
    }

    /** Foreign letters over judged letters; 0 for a text without any. */
    public double foreignFraction(String text) {
        long letters = text.codePoints().filter(LanguageCheck::judged).count();
        return letters == 0 ? 0 : (double) foreignLetters(text) / letters;
    }

    /** A letter that belongs to a script: the only characters that can be foreign. */
    static boolean judged(int cp) {
        if (!Character.isLetter(cp)) return false;
        UnicodeScript script = UnicodeScript.of(cp);
        return script != UnicodeScript.COMMON && script != UnicodeScript.INHERITED;
    }

    /** True when the response stays in the language: the foreign fraction is within the threshold. */
    public boolean passes(String text) {
        return foreignFraction(text) <= maxForeignFraction;
    }
}
