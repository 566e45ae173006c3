// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.judge;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One example per accepted form, and the forms that are deliberately not numbers. */
class NumericJudgeTest {

    static void same(String answer, String reference) {
        assertTrue(NumericJudge.equivalent(answer, reference), answer + " should equal " + reference);
    }

    static void different(String answer, String reference) {
        assertFalse(NumericJudge.equivalent(answer, reference), answer + " should differ from " + reference);
    }

    static void value(double expected, String s) {
        OptionalDouble v = NumericJudge.parse(s);
        assertTrue(v.isPresent(), s + " should be a number");
        assertEquals(expected, v.getAsDouble(), 1e-12, s);
    }

    static void notANumber(String s) {
        assertEquals(OptionalDouble.empty(), NumericJudge.parse(s), s + " should not be a number");
    }

    @Test
    void integersDecimalsAndSigns() {
        value(42, "42");
        value(-3.5, "-3.5");
        value(-3.5, "\u22123.5");          // Unicode minus
        value(3.5, "+3.5");
        value(0.5, ".5");
        value(12, "12.");                  // a sentence's full stop
        same("007", "7");
        same("2.50", "2.5");
        same("-0", "0");
    }

    @Test
    void thousandsCommasOnlyInGroupsOfThree() {
        value(1234, "1,234");
        value(1234567.5, "1,234,567.5");
        value(-1234, "-1,234");
        notANumber("1,23");               // read as a list
        notANumber("1, 234");
        notANumber("0,123");
        notANumber("1234,567");           // first group longer than three
        different("1,23", "123");
        same("1, 2, 3", "1,2,3");         // lists compare as strings without spaces
    }

    @Test
    void fractions() {
        value(0.75, "3/4");
        value(0.75, "\\frac{3}{4}");
        value(0.75, "\\dfrac{3}{4}");
        value(0.75, "\\tfrac { 3 } { 4 }");
        value(-0.75, "-\\frac{3}{4}");
        value(-0.75, "\\frac{-3}{4}");
        value(1.25, "\\frac{2.5}{2}");
        same("\\frac{6}{8}", "0.75");
        same("1/3", "0.3333333");                // seven significant digits are within 1e-6
        different("1/3", "0.333");
        notANumber("3/0");
        notANumber("\\frac{1}{0}");
        notANumber("1 1/2");                      // mixed numbers are not read
    }

    @Test
    void delimitersPrefixesAndCurrency() {
        value(5, "$5$");
        value(5, "\\(5\\)");
        value(5, "\\[ 5 \\]");
        value(5, "x = 5");
        value(0.5, "y=\\frac{1}{2}");
        value(5, "$5");
        value(5, "\\$5");
        value(-5, "-\\$5");
        value(-5, "\\$-5");
        notANumber("1\\,234");                    // a LaTeX thin space is a space, not a separator
        value(5, "\\displaystyle 5");
    }

    @Test
    void unitsAreDropped() {
        value(12, "12 cm");
        value(12, "12cm");
        value(12, "12 \\text{cm}");
        value(12, "12\\,\\mathrm{cm}^2");
        value(12, "12 m²");
        value(60, "60 km/h");
        value(45, "45°");
        value(45, "45^\\circ");
        value(45, "45^{\\circ}");
        value(45, "45 \\circ");
        value(45, "45^{\\circ}C");
        value(5, "5%");
        value(5, "5\\%");
        value(12, "12 square units.");
        same("5%", "5");                           // the sign is dropped, not read as 0.05
        different("5%", "0.05");
        value(5, "5x");                            // no algebra: a letter after a number is a unit
    }

    @Test
    void nonNumbersCompareAsNormalisedStrings() {
        notANumber("\\sqrt{2}");
        notANumber("2\\pi");
        notANumber("1e5");
        same("\\sqrt{2}", " \\sqrt{ 2 } ");
        same("$\\sqrt{2}$", "\\sqrt{2}");
        same("Triangle", "triangle.");
        same("\\text{Yes}", "yes");
        same("(B)", "b");
        different("\\sqrt{2}", "\\sqrt{3}");
        different("5", "five");
        different("", "5");
    }

    @Test
    void tolerance() {
        assertTrue(NumericJudge.close(1e6, 1e6 + 0.5));          // relative 5e-7
        assertFalse(NumericJudge.close(1e6, 1e6 + 2));           // relative 2e-6
        assertTrue(NumericJudge.close(0, 1e-10));                // absolute floor near zero
        assertFalse(NumericJudge.close(0, 1e-8));
        assertTrue(NumericJudge.close(0.1 + 0.2, 0.3));
        String huge = "9".repeat(400);                            // parses to infinity on both sides
        same(huge, huge);
    }

    @Test
    void aLongNonNumberIsRejectedQuickly() {
        // The unit part uses possessive quantifiers; without them this takes exponential time.
        String s = "5 " + "a".repeat(5000) + "!";
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> notANumber(s));
    }
}
