// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleStatsTest {
    @Test
    void meanAndSampleStdOfTheTextbookExample() {
        double[] v = {2, 4, 4, 4, 5, 5, 7, 9};                  // population std 2, sample std sqrt(32 / 7)
        assertEquals(5.0, SampleStats.mean(v), 1e-15);
        assertEquals(Math.sqrt(32.0 / 7), SampleStats.std(v), 1e-15);
        assertEquals(Math.sqrt(32.0 / 7) / Math.sqrt(8), SampleStats.standardError(v), 1e-15);
    }

    @Test
    void undefinedForTooFewValues() {
        assertTrue(Double.isNaN(SampleStats.mean()));
        assertTrue(Double.isNaN(SampleStats.std(3.0)), "one seed has no spread to estimate");
        assertEquals(0.0, SampleStats.std(3.0, 3.0));
        assertTrue(Double.isNaN(SampleStats.standardError(3.0)));
    }

    @Test
    void noDigitsLostWhenTheMeanIsLargeNextToTheSpread() {
        assertEquals(1.0, SampleStats.std(1e9 + 1, 1e9 + 2, 1e9 + 3), 1e-6);
    }
}
