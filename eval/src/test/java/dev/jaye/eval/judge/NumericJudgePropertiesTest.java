// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.judge;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The judge on random numbers: a rational p/q written in any two accepted forms (with random
 * units, delimiters and spaces) is judged equal; two numbers further apart than the tolerance
 * never are.
 */
class NumericJudgePropertiesTest {

    static final List<String> UNITS = List.of("", "", "cm", " cm", " \\text{ cm}", "\\,\\mathrm{m}^2", " m²",
            "°", "^\\circ", "^{\\circ}", "\\%", "%", " km/h", " square units", ".");
    static final List<String> SPACES = List.of("", " ", "  ", "\t");

    /** p/q written in form {@code form} (0-6); forms 0-3 are fractions, 4-6 decimals. */
    static String render(long p, long q, int form) {
        String sign = p < 0 ? "-" : "", abs = Long.toString(Math.abs(p));
        return switch (form) {
            case 0 -> sign + abs + "/" + q;
            case 1 -> sign + "\\frac{" + abs + "}{" + q + "}";
            case 2 -> "\\dfrac{" + p + "}{" + q + "}";                     // sign inside
            case 3 -> (p < 0 ? "\u2212" : "") + "\\tfrac{" + abs + "}{" + q + "}";
            case 4 -> decimal(p, q).toPlainString();
            case 5 -> grouped(decimal(p, q).toPlainString());
            default -> (p < 0 ? "-" : "+") + decimal(Math.abs(p), q).toPlainString();
        };
    }

    /** p/q to 15 significant digits: within 1e-14 relative, far inside the tolerance. */
    static BigDecimal decimal(long p, long q) {
        return new BigDecimal(p).divide(new BigDecimal(q), new MathContext(15));
    }

    /** Thousands commas in the integer part: -1234567.5 becomes -1,234,567.5. */
    static String grouped(String plain) {
        String sign = plain.startsWith("-") ? "-" : "";
        String body = plain.substring(sign.length());
        int dot = body.indexOf('.');
        String whole = dot < 0 ? body : body.substring(0, dot), rest = dot < 0 ? "" : body.substring(dot);
        StringBuilder b = new StringBuilder(whole);
        for (int i = whole.length() - 3; i > 0; i -= 3) b.insert(i, ',');
        return sign + b + rest;
    }

    /** A number dressed: spaces, an optional wrapper ($...$, \(...\), x = ...), a unit. */
    static String dress(String number, int wrapper, int unit, int space) {
        String s = SPACES.get(space), core = number + s + UNITS.get(unit);
        return switch (wrapper) {
            case 0 -> s + core + s;
            case 1 -> "$" + core + "$";
            case 2 -> "\\(" + s + core + "\\)";
            default -> "x =" + s + core;
        };
    }

    @Property(tries = 500, seed = "42")
    void equivalentFormsJudgeEqual(@ForAll @LongRange(min = -10_000_000, max = 10_000_000) long p,
                                   @ForAll @IntRange(min = 1, max = 1000) int q,
                                   @ForAll @IntRange(min = 0, max = 6) int formA, @ForAll @IntRange(min = 0, max = 6) int formB,
                                   @ForAll @IntRange(min = 0, max = 3) int wrapA, @ForAll @IntRange(min = 0, max = 3) int wrapB,
                                   @ForAll @IntRange(min = 0, max = 14) int unitA, @ForAll @IntRange(min = 0, max = 14) int unitB,
                                   @ForAll @IntRange(min = 0, max = 3) int spaceA, @ForAll @IntRange(min = 0, max = 3) int spaceB) {
        String a = dress(render(p, q, formA), wrapA, unitA, spaceA), b = dress(render(p, q, formB), wrapB, unitB, spaceB);
        assertTrue(NumericJudge.parse(a).isPresent(), a + " should read as a number");
        assertTrue(NumericJudge.equivalent(a, b), a + " should equal " + b);
    }

    /**
     * b is a moved by a relative step of at least twice the tolerance (up to 100%), or a random
     * other rational; both are written in random forms. Near misses are the likely failures, so
     * half the cases sit just past the tolerance.
     */
    @Property(tries = 500, seed = "42")
    void differentNumbersJudgeDifferent(@ForAll @LongRange(min = -10_000_000, max = 10_000_000) long p,
                                        @ForAll @IntRange(min = 1, max = 1000) int q,
                                        @ForAll @LongRange(min = -10_000_000, max = 10_000_000) long r,
                                        @ForAll @IntRange(min = 1, max = 1000) int s,
                                        @ForAll boolean near, @ForAll @DoubleRange(min = -6, max = 0) double logStep,
                                        @ForAll @IntRange(min = 0, max = 6) int formA,
                                        @ForAll @IntRange(min = 0, max = 3) int wrapA, @ForAll @IntRange(min = 0, max = 3) int wrapB,
                                        @ForAll @IntRange(min = 0, max = 14) int unitA, @ForAll @IntRange(min = 0, max = 14) int unitB) {
        String a = dress(render(p, q, formA), wrapA, unitA, 1);
        double va = (double) p / q, vb;
        String number;
        if (near) {
            double step = Math.max(2 * NumericJudge.RELATIVE_TOLERANCE, Math.pow(10, logStep));
            BigDecimal b = decimal(p, q).multiply(BigDecimal.valueOf(1 + step), new MathContext(15));
            if (p == 0) b = BigDecimal.valueOf(step);                      // 0 moved by a relative step is still 0
            vb = b.doubleValue();
            number = b.toPlainString();
        } else {
            vb = (double) r / s;
            number = render(r, s, formA == 6 ? 0 : 6 - formA);
        }
        double bound = Math.max(NumericJudge.ABSOLUTE_TOLERANCE, NumericJudge.RELATIVE_TOLERANCE * Math.max(Math.abs(va), Math.abs(vb)));
        Assume.that(Math.abs(va - vb) > 1.5 * bound);
        String b = dress(number, wrapB, unitB, 0);
        assertFalse(NumericJudge.equivalent(a, b), a + " should differ from " + b);
    }
}
