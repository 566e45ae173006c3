// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.judge;

import org.junit.jupiter.api.Test;

import java.lang.Character.UnicodeScript;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Letters are judged by script; math, digits and LaTeX never count. */
class LanguageCheckTest {
    static final LanguageCheck EN = LanguageCheck.ENGLISH;

    @Test
    void englishWithMathPasses() {
        String text = "The angle θ = 45°, so area = ½·r²·π ≈ 3.14 cm². By Poincaré, ∑ a_i ≤ 10 → \\boxed{\\frac{3}{4}}. 𝑥 ∈ ℝ.";
        assertEquals(0, EN.foreignLetters(text));
        assertTrue(EN.passes(text));
    }

    @Test
    void noLettersPasses() {
        assertEquals(0.0, EN.foreignFraction("3 + 4 = 7, ≤ ∞ 。"));
        assertTrue(EN.passes(""));
    }

    @Test
    void chineseMixedInFails() {
        String text = "The area is 12 平方厘米";          // 9 Latin letters, 4 Han
        assertEquals(4, EN.foreignLetters(text));
        assertEquals(4.0 / (9 + 4), EN.foreignFraction(text), 1e-12);
        assertFalse(EN.passes(text));
        assertFalse(EN.passes("So the answer is 5 答"));  // one stray character is enough at threshold 0
    }

    @Test
    void cyrillicFailsEvenAsALookAlike() {
        assertFalse(EN.passes("Ответ: 5"));
        assertFalse(EN.passes("\u0422he answer is 5"));             // Cyrillic Те looks like Latin T
        assertEquals(1, EN.foreignLetters("\u0422he answer is 5"));
    }

    @Test
    void chinesePresetAllowsLatinVariables() {
        assertTrue(LanguageCheck.CHINESE.passes("设 x = 3，则 面积 是 12 cm²"));
        assertFalse(LanguageCheck.CHINESE.passes("面积 равна 12"));
    }

    @Test
    void aThresholdToleratesAFewForeignLetters() {
        LanguageCheck lenient = new LanguageCheck(Set.of(UnicodeScript.LATIN), 0.1);
        assertTrue(lenient.passes("abcdefghijklmnopqrs 中"));      // 1 of 20 letters = 0.05
        assertFalse(lenient.passes("abcdefgh 中文"));              // 2 of 10 = 0.2
        assertThrows(IllegalArgumentException.class, () -> new LanguageCheck(Set.of(), 1.5));
    }
}
