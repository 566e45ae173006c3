// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.metrics;

import dev.jaye.eval.metrics.PassAtK.Counts;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-computed values, the product form against exact binomials, and the plain any-of-k figure. */
class PassAtKTest {

    @Test
    void handComputedValues() {
        assertEquals(1.0 / 8, PassAtK.estimate(8, 1, 1), 1e-15);
        assertEquals(0.0, PassAtK.estimate(8, 0, 8));
        assertEquals(0.0, PassAtK.estimate(8, 0, 1));
        assertEquals(1.0, PassAtK.estimate(8, 8, 1));
        assertEquals(1.0, PassAtK.estimate(8, 8, 8));
        assertEquals(1 - 21.0 / 252, PassAtK.estimate(10, 3, 5), 1e-15);   // 1 − C(7,5)/C(10,5)
        assertEquals(1.0, PassAtK.estimate(8, 1, 8));                      // n − c < k: some draw is correct
        assertEquals(3.0 / 8, PassAtK.estimate(8, 3, 1), 1e-15);           // pass@1 is the fraction correct
    }

    /** Every n ≤ 30: the product equals 1 − C(n−c,k)/C(n,k) computed exactly. */
    @Test
    void productFormEqualsTheBinomialRatio() {
        for (int n = 1; n <= 30; n++)
            for (int c = 0; c <= n; c++)
                for (int k = 1; k <= n; k++) {
                    BigDecimal ratio = new BigDecimal(binomial(n - c, k)).divide(new BigDecimal(binomial(n, k)), MathContext.DECIMAL64);
                    assertEquals(1 - ratio.doubleValue(), PassAtK.estimate(n, c, k), 1e-13, "n=" + n + " c=" + c + " k=" + k);
                }
    }

    static BigInteger binomial(int n, int k) {
        if (k > n) return BigInteger.ZERO;
        BigInteger b = BigInteger.ONE;
        for (int i = 0; i < k; i++) b = b.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        return b;
    }

    @Test
    void largeNStaysFiniteAndMonotoneInK() {
        // C(5000, 100) is about 1e211: the binomials themselves would not fit comfortably; the product does.
        double previous = 0;
        for (int k = 1; k <= 1000; k *= 10) {
            double p = PassAtK.estimate(5000, 3, k);
            assertTrue(p > previous && p < 1, "k=" + k + " gave " + p);
            previous = p;
        }
    }

    @Test
    void meanOverProblems() {
        List<Counts> problems = List.of(new Counts(8, 1), new Counts(8, 0), new Counts(8, 8));
        assertEquals((1.0 / 8 + 0 + 1) / 3, PassAtK.mean(problems, 1), 1e-15);
        assertEquals((1 + 0 + 1) / 3.0, PassAtK.mean(problems, 8), 1e-15);
        assertTrue(Double.isNaN(PassAtK.mean(List.of(), 1)));
    }

    @Test
    void anyCorrectLooksAtTheFirstKSamples() {
        List<boolean[]> problems = List.of(new boolean[] {false, false, true}, new boolean[] {true, false, false},
                new boolean[] {false, false, false});
        assertEquals(1.0 / 3, PassAtK.anyCorrect(problems, 1), 1e-15);
        assertEquals(1.0 / 3, PassAtK.anyCorrect(problems, 2), 1e-15);
        assertEquals(2.0 / 3, PassAtK.anyCorrect(problems, 3), 1e-15);
        // With n = k the plain figure and the estimator agree.
        assertEquals(PassAtK.mean(List.of(new Counts(3, 1), new Counts(3, 1), new Counts(3, 0)), 3), PassAtK.anyCorrect(problems, 3), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> PassAtK.anyCorrect(problems, 4));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(8, 9, 1));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(8, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(8, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(8, 1, 9));
    }
}
