// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PearsonTest {
    @Test
    void aKnownValue() {
        // sxy = 6, sxx = 10, syy = 6 about the means (3, 4): r = 6 / sqrt(60)
        Pearson.Result r = Pearson.of(new double[]{1, 2, 3, 4, 5}, new double[]{2, 4, 5, 4, 5});
        assertEquals(6 / Math.sqrt(60), r.r(), 1e-12);
        assertEquals(5, r.n());
    }

    @Test
    void exactLinesGivePlusAndMinusOne() {
        double[] x = {0.1, 0.2, 0.35, 0.5};
        assertEquals(1.0, Pearson.of(x, new double[]{60, 70, 85, 100}).r(), 1e-12);
        assertEquals(-1.0, Pearson.of(x, new double[]{-1, -2, -3.5, -5}).r(), 1e-12);
    }

    @Test
    void skipsUndefinedPairsAndKeepsDigitsAtLargeOffsets() {
        double n = Double.NaN, big = 1e9;
        Pearson.Result r = Pearson.of(new double[]{1, n, 2, 3, 4, 5, 7}, new double[]{big + 2, big, big + 4, big + 5, n, big + 4, big + 5});
        // pairs (1,2) (2,4) (3,5) (5,4) (7,5) after the offset: sxy = 8, sxx = 23.2, syy = 6 about means (3.6, 4)
        assertEquals(5, r.n());
        assertEquals(8 / Math.sqrt(23.2 * 6), r.r(), 1e-9);
    }

    @Test
    void undefinedWithoutThreePointsOrWithAConstant() {
        assertFalse(Pearson.of(new double[]{1, 2}, new double[]{3, 5}).defined());
        assertFalse(Pearson.of(new double[]{1, 2, 3}, new double[]{4, 4, 4}).defined());
        assertThrows(IllegalArgumentException.class, () -> Pearson.of(new double[3], new double[2]));
    }
}
