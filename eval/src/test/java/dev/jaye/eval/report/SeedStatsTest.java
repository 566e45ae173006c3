// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedStatsTest {
    @Test
    void meanAndSampleStdOfTheTextbookExample() {
        double[] v = {2, 4, 4, 4, 5, 5, 7, 9};                  // population std 2, sample std sqrt(32 / 7)
        assertEquals(5.0, SeedStats.mean(v), 1e-15);
        assertEquals(Math.sqrt(32.0 / 7), SeedStats.std(v), 1e-15);
    }

    @Test
    void undefinedForTooFewValues() {
        assertTrue(Double.isNaN(SeedStats.mean()));
        assertTrue(Double.isNaN(SeedStats.std(3.0)), "one seed has no spread to estimate");
        assertEquals(0.0, SeedStats.std(3.0, 3.0));
    }

    @Test
    void noDigitsLostWhenTheMeanIsLargeNextToTheSpread() {
        assertEquals(1.0, SeedStats.std(1e9 + 1, 1e9 + 2, 1e9 + 3), 1e-6);
    }

    @Test
    void aggregatesPerXOverTheSeedsThatReachedIt() {
        Map<Double, Double> a = new TreeMap<>(Map.of(0.0, 1.0, 1.0, 2.0, 2.0, 3.0));
        Map<Double, Double> b = new TreeMap<>(Map.of(0.0, 3.0, 1.0, 4.0, 5.0, Double.NaN)); // stopped early; NaN is no value
        List<SeedStats.Point> p = SeedStats.aggregate(List.of(a, b));
        assertEquals(3, p.size(), "x = 5 had no value at all: " + p);
        assertEquals(new SeedStats.Point(0.0, 2.0, Math.sqrt(2), 2), p.get(0));
        assertEquals(new SeedStats.Point(1.0, 3.0, Math.sqrt(2), 2), p.get(1));
        SeedStats.Point last = p.get(2);
        assertEquals(2.0, last.x());
        assertEquals(3.0, last.mean());
        assertEquals(1, last.n());
        assertTrue(Double.isNaN(last.std()));
    }
}
