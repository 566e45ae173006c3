// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalResultTest {
    @Test
    void accuracyIsBrokenDownByFamily() {
        var s = List.of(
                new EvalResult.SampleResult("a", "count_total", "3", List.of("x", "y"), List.of(true, false)),
                new EvalResult.SampleResult("b", "count_total", "4", List.of("x", "y"), List.of(true, true)),
                new EvalResult.SampleResult("c", "bar_max", "5", List.of("x", "y"), List.of(false, false)),
                new EvalResult.SampleResult("d", null, "6", List.of("x", "y"), List.of(true, false)));
        GenerationSetting g = GenerationSetting.of(2, 1.0, 1.0, 8);
        EvalResult r = new EvalResult(new GenerationSetting(g.name(), 2, 2, 1.0, 1.0, 8), 4, null, s, 0);
        var by = r.accuracyByFamily();
        assertEquals(0.75, by.get("count_total"));
        assertEquals(0.0, by.get("bar_max"));
        assertEquals(0.5, by.get("unknown"));
        String t = EvalResult.familyTable(List.of(r));
        assertTrue(t.contains("count_total") && t.contains("0.750"), t);
        // per-question shares 0.5, 1, 0, 0.5: mean 0.5, sample variance (0 + .25 + .25 + 0) / 3, over 4 questions
        assertEquals(Math.sqrt(0.5 / 3 / 4), r.accuracyStandardError(), 1e-12);
        // the counts behind a paired comparison, in the split's order
        assertEquals(List.of(1, 2, 0, 1), r.rightPerQuestion());
    }
}
