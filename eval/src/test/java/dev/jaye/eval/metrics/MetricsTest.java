// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.metrics;

import dev.jaye.eval.metrics.Metrics.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Response stats and the combined metrics map: the keys every log uses, and their values. */
class MetricsTest {

    @Test
    void responseStats() {
        // Lengths in code points: "面积" is 2, the emoji (a surrogate pair) is 1.
        ResponseStats s = ResponseStats.of(List.of("abcd", "面积", "\uD83D\uDE00"), new int[] {10, 4, 7}, new boolean[] {true, false, true});
        assertEquals(3, s.count());
        assertEquals(7, s.meanTokens(), 1e-15);
        assertEquals(4, s.minTokens());
        assertEquals(10, s.maxTokens());
        assertEquals(7.0 / 3, s.meanChars(), 1e-15);
        assertEquals(1, s.minChars());
        assertEquals(4, s.maxChars());
        assertEquals(2.0 / 3, s.accuracy(), 1e-15);
        ResponseStats.of(List.of(), new int[0], new boolean[0]).toMap().values().forEach(v -> assertTrue(Double.isNaN(v)));
    }

    @Test
    void combinedMapHasTheMethodsKeys() {
        List<List<Sample>> groups = List.of(
                List.of(new Sample("Wait, it is 7.", 6, true), new Sample("It is 8.", 4, false)),
                List.of(new Sample("Let me verify. Wait: 3", 8, false), new Sample("It is 2.", 2, false)));
        Map<String, Double> m = Metrics.of(groups, 1, 2).toMap();

        assertEquals(List.of("accuracy", "mean_response_length", "min_response_length", "max_response_length",
                "mean_response_chars", "min_response_chars", "max_response_chars",
                "reflection_ratio", "reflection_ratio_in_correct_answers", "reflection_ratio_in_incorrect_answers",
                "correct_ratio_in_reflection_texts", "correct_ratio_in_no_reflection_texts",
                "pass@1", "pass@2", "any_correct@1", "any_correct@2"), List.copyOf(m.keySet()).subList(0, 16));
        assertEquals(16 + 15, m.size());
        Reflection.WORDS.forEach(w -> assertTrue(m.containsKey("reflection_words/" + w), w));

        assertEquals(0.25, m.get("accuracy"), 1e-15);
        assertEquals(5.0, m.get("mean_response_length"), 1e-15);
        assertEquals(0.5, m.get("reflection_ratio"), 1e-15);              // 2 of 4 reflect
        assertEquals(1.0, m.get("reflection_ratio_in_correct_answers"));  // the one correct answer reflects
        assertEquals(0.5, m.get("correct_ratio_in_reflection_texts"));
        assertEquals(0.25, m.get("pass@1"), 1e-15);                        // (1/2 + 0) / 2
        assertEquals(0.5, m.get("pass@2"), 1e-15);                         // (1 + 0) / 2
        assertEquals(0.5, m.get("any_correct@1"), 1e-15);                  // first sample of problem 1 is right
        assertEquals(0.5, m.get("any_correct@2"), 1e-15);
        assertEquals(2.0, m.get("reflection_words/wait"));                 // summed over the batch
        assertEquals(1.0, m.get("reflection_words/verify"));
        assertEquals(0.0, m.get("reflection_words/yet"));
    }

    @Test
    void withoutKsThereIsNoPassKey() {
        Map<String, Double> m = Metrics.of(List.of(List.of(new Sample("7", 1, true)))).toMap();
        assertTrue(m.keySet().stream().noneMatch(k -> k.startsWith("pass@") || k.startsWith("any_correct@")));
        assertEquals(1.0, m.get("accuracy"));
    }
}
