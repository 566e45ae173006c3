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
