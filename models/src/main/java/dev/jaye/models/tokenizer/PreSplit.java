// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts text into chunks before BPE, so that merges never cross a chunk boundary: "cat." and
 * "cat!" then share the token for "cat" instead of each learning its own "t." or "t!".
 *
 * <p>The rule, a hand-written cousin of GPT-2's regular expression:
 * <ul>
 *   <li><b>letters</b>: a run of letters (with their combining marks), plus one space in front
 *       if there is one: {@code " shapes"}. Words seen after a space and at the start of a line
 *       are then different tokens, as in GPT-2; in return the space costs no token of its own.</li>
 *   <li><b>digits</b>: every digit is a chunk by itself, with no space in front. So "12" is
 *       always the tokens "1","2", whatever numbers happened to be frequent in the training
 *       corpus: the model sees one consistent spelling of every number (a learned "12" next to
 *       a two-token "13" makes arithmetic harder to learn), and the answer checker compares
 *       digits anyway. LLaMA and DeepSeek split digits the same way.</li>
 *   <li><b>other</b> (punctuation, symbols, anything else): a run of them, plus one space in
 *       front if there is one: {@code " \\boxed"} is {@code " \\"}, {@code "boxed"}.</li>
 *   <li><b>whitespace</b>: a run of whitespace; when the run ends in a space and a letter or
 *       other run follows, that last space is left to the next chunk (GPT-2's {@code \s+(?!\S)}).</li>
 * </ul>
 * Unlike GPT-2, there is no special case for English contractions ("don't" is "don", "'", "t").
 * Every character lands in exactly one chunk, in order, so the chunks concatenate back to the text.
 */
final class PreSplit {
    private PreSplit() {}

    private static final int LETTER = 0, DIGIT = 1, SPACE = 2, OTHER = 3;

    private static int classOf(int cp) {
        if (Character.isLetter(cp)) return LETTER;
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK) return LETTER;   // é written as e + ◌́ stays one word
        if (Character.isDigit(cp)) return DIGIT;
        if (Character.isWhitespace(cp)) return SPACE;
        return OTHER;
    }

    /** The chunks of {@code text}, in order; their concatenation is {@code text}. */
    static List<String> split(String text) {
        List<String> chunks = new ArrayList<>();
        int n = text.length(), i = 0;
        while (i < n) {
            int start = i;
            // A single space joins the letter or other run right after it.
            if (text.charAt(i) == ' ' && i + 1 < n) {
                int after = classOf(text.codePointAt(i + 1));
                if (after == LETTER || after == OTHER) i++;
            }
            int cp = text.codePointAt(i), cls = classOf(cp);
            i += Character.charCount(cp);
            if (cls == DIGIT) {
                chunks.add(text.substring(start, i));
                continue;
            }
            while (i < n) {                                           // extend the run
                int next = text.codePointAt(i);
                if (classOf(next) != cls) break;
                i += Character.charCount(next);
            }
            if (cls == SPACE && i < n && i - 1 > start && text.charAt(i - 1) == ' ') {
                int after = classOf(text.codePointAt(i));
                if (after == LETTER || after == OTHER) i--;           // leave the last space to the word
            }
            chunks.add(text.substring(start, i));
        }
        return chunks;
    }
}
