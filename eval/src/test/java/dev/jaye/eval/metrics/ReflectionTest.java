// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.metrics;

import dev.jaye.eval.metrics.Reflection.Ratios;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Word counting rules and the five ratios on batches where every value is known by hand. */
class ReflectionTest {

    @Test
    void fifteenWordsInTheMethodsOrder() {
        assertEquals(15, Reflection.WORDS.size());
        assertEquals(Reflection.WORDS, List.copyOf(Reflection.counts("").keySet()));
    }

    @Test
    void countsAreCaseInsensitiveWholeWords() {
        Map<String, Integer> c = Reflection.counts(
                "Wait. WAIT, wait! Let me verify; yet, I should Re-Check and reevaluate. Check\nagain, rethink.");
        assertEquals(3, c.get("wait"));
        assertEquals(1, c.get("verify"));
        assertEquals(1, c.get("yet"));
        assertEquals(1, c.get("re-check"));
        assertEquals(1, c.get("reevaluate"));
        assertEquals(1, c.get("check again"));                 // a line break between the words still counts
        assertEquals(1, c.get("rethink"));
        assertEquals(9, c.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void inflectionsAndLongerWordsDoNotCount() {
        Map<String, Integer> c = Reflection.counts("waiting, awaited, yeti, verified, rechecking, trying again");
        assertEquals(0, c.values().stream().mapToInt(Integer::intValue).sum(), c.toString());
        assertFalse(Reflection.reflects("waiting for the verified yeti"));
    }

    @Test
    void overlappingWordsCountOnce() {
        // "reevaluation" is its own entry; "re-check again" holds a re-check but no "check again"
        // (the hyphen is part of the word); "rethink again" is no "think again".
        Map<String, Integer> c = Reflection.counts("A reevaluation. Re-check again. Rethink again.");
        assertEquals(1, c.get("reevaluation"));
        assertEquals(0, c.get("reevaluate"));
        assertEquals(1, c.get("re-check"));
        assertEquals(0, c.get("check again"));
        assertEquals(1, c.get("rethink"));
        assertEquals(0, c.get("think again"));
        assertEquals(0, c.get("recheck"));
        assertEquals(3, c.values().stream().mapToInt(Integer::intValue).sum());
    }

    /** N = 7, N_ref = 4, N+ = 3, N_ref+ = 2: five different ratios. */
    @Test
    void ratiosOnAHandBuiltBatch() {
        List<String> responses = List.of(
                "Wait, 3 + 4 = 7.",            // reflects, correct
                "Let me verify: 7.",           // reflects, correct
                "It is 7.",                    // correct
                "It is 8.",                    // wrong
                "Let me think again... 9",     // reflects, wrong
                "waiting... 10",               // wrong ("waiting" is not "wait")
                "Yet it is 12");               // reflects, wrong
        boolean[] correct = {true, true, true, false, false, false, false};
        Ratios r = Reflection.ratios(responses, correct);
        assertEquals(4.0 / 7, r.reflectionRatio(), 1e-15);
        assertEquals(2.0 / 3, r.reflectionRatioInCorrectAnswers(), 1e-15);
        assertEquals(2.0 / 4, r.reflectionRatioInIncorrectAnswers(), 1e-15);
        assertEquals(2.0 / 4, r.correctRatioInReflectionTexts(), 1e-15);
        assertEquals(1.0 / 3, r.correctRatioInNoReflectionTexts(), 1e-15);
        assertEquals(r, Ratios.of(7, 4, 3, 2));
        assertEquals(List.of("reflection_ratio", "reflection_ratio_in_correct_answers", "reflection_ratio_in_incorrect_answers",
                "correct_ratio_in_reflection_texts", "correct_ratio_in_no_reflection_texts"), List.copyOf(r.toMap().keySet()));
    }

    @Test
    void zeroDenominatorsGiveNaN() {
        Ratios empty = Ratios.of(0, 0, 0, 0);                  // no responses: every ratio undefined
        empty.toMap().values().forEach(v -> assertTrue(Double.isNaN(v)));

        Ratios allCorrect = Ratios.of(4, 1, 4, 1);              // N − N+ = 0
        assertTrue(Double.isNaN(allCorrect.reflectionRatioInIncorrectAnswers()));
        assertEquals(0.25, allCorrect.reflectionRatioInCorrectAnswers());

        Ratios noneCorrect = Ratios.of(4, 1, 0, 0);             // N+ = 0
        assertTrue(Double.isNaN(noneCorrect.reflectionRatioInCorrectAnswers()));
        assertEquals(0.25, noneCorrect.reflectionRatioInIncorrectAnswers());

        Ratios noReflection = Ratios.of(4, 0, 2, 0);            // N_ref = 0
        assertTrue(Double.isNaN(noReflection.correctRatioInReflectionTexts()));
        assertEquals(0.5, noReflection.correctRatioInNoReflectionTexts());
        assertEquals(0.0, noReflection.reflectionRatio());      // a true 0, not a NaN

        Ratios allReflect = Ratios.of(4, 4, 2, 2);              // N − N_ref = 0
        assertTrue(Double.isNaN(allReflect.correctRatioInNoReflectionTexts()));
        assertEquals(0.5, allReflect.correctRatioInReflectionTexts());

        Ratios fromEmptyBatch = Reflection.ratios(List.of(), new boolean[0]);
        assertTrue(Double.isNaN(fromEmptyBatch.reflectionRatio()));
    }

    @Test
    void inconsistentCountsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ratios.of(4, 1, 2, 2));   // N_ref+ > N_ref
        assertThrows(IllegalArgumentException.class, () -> Ratios.of(4, 3, 3, 1));   // 3 + 3 − 1 > 4
        assertThrows(IllegalArgumentException.class, () -> Reflection.ratios(List.of("a"), new boolean[2]));
    }
}
