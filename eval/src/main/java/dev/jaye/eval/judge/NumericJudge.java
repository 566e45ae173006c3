// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.judge;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether an extracted answer equals the reference: as numbers when both sides read as one
 * number, else as normalised strings.
 *
 * <p><b>Accepted numeric forms</b> (each side on its own, the whole string must match):
 * <ul>
 *   <li>integers and decimals: {@code 42}, {@code -3.5}, {@code .5}, {@code 12.} (a final
 *       full stop); a minus may be {@code -} or the Unicode minus {@code −}; a {@code +} is
 *       allowed;</li>
 *   <li>thousands commas in groups of exactly three after a first group of 1-3 digits not
 *       starting with 0: {@code 1,234,567.5}. Anything else with a comma is not a number:
 *       {@code 1,23}, {@code 1, 234} and {@code 0,123} are read as lists and compared as
 *       strings. {@code 1,234} itself is ambiguous (a thousand, or the list 1 and 234); it reads
 *       as 1234 because the datasets write lists with a space after the comma;</li>
 *   <li>fractions {@code 3/4}, {@code \frac{3}{4}}, {@code \dfrac}, {@code \tfrac}, with a sign
 *       outside or inside ({@code -\frac{3}{4}}, {@code \frac{-3}{4}}); a zero denominator is
 *       not a number;</li>
 *   <li>around the number: math delimiters {@code $...$}, {@code \(...\)}, {@code \[...\]};
 *       a leading variable {@code x = }; a currency sign {@code $} or {@code \$} before or after
 *       the sign; LaTeX spaces {@code \,} {@code \;} {@code \!} {@code ~};</li>
 *   <li>after the number, any run of units: degrees ({@code °}, {@code ^\circ},
 *       {@code ^{\circ}}, {@code \circ}, {@code \degree}), percent ({@code %}, {@code \%}), and
 *       words of Latin letters with an optional power ({@code cm}, {@code cm^2}, {@code m²},
 *       {@code km/h}), bare or in {@code \text{}}, {@code \mathrm{}}, {@code \mbox{}}.</li>
 * </ul>
 * Units are dropped, not converted: {@code 12 cm} equals {@code 12 m}, and {@code 5%} equals
 * {@code 5}, not {@code 0.05}, because references are written without their unit and the sign
 * carries no information the reference lacks. So {@code 5x} reads as 5: the judge does no
 * algebra. Not numbers (compared as strings): {@code \sqrt{2}}, {@code 2\pi}, {@code 1e5},
 * mixed numbers {@code 1 1/2}, intervals, tuples.
 *
 * <p><b>Tolerance:</b> |a − b| ≤ max(1e-9, 1e-6 · max(|a|, |b|)). Parsing into doubles is exact to
 * about 1e-16 relative; 1e-6 relative also forgives references that were computed in float32
 * (about 6e-8 relative error) and a decimal written with 7 or more significant digits for a
 * fraction (0.3333333 for 1/3), while answers that differ in the first six significant digits
 * are different answers. The absolute 1e-9 only matters next to zero, where a relative bound
 * is empty.
 *
 * <p><b>Strings</b>, when either side is not a number: delimiters and {@code \text{}} wrappers
 * removed as above, lower case, every white space removed, a final full stop dropped, and a
 * single letter in parentheses unwrapped ({@code (B)} is {@code b}, for choices).
 */
public final class NumericJudge {
    private NumericJudge() {}

    public static final double RELATIVE_TOLERANCE = 1e-6, ABSOLUTE_TOLERANCE = 1e-9;

    // An unsigned number: thousands groups (first group 1-3 digits, no leading 0) or plain digits,
    // then an optional decimal part; or a bare decimal part.
    private static final String UNSIGNED = "(?:(?:[1-9]\\d{0,2}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|\\.\\d+)";
    private static final String SIGN = "[-+\u2212]";
    private static final String SIGNED = "(?:" + SIGN + "?\\s*" + UNSIGNED + ")";
    private static final String DEGREE = "\\^\\s*\\{?\\s*\\\\circ\\s*\\}?|\\\\circ|\\\\degree|°";
    private static final String WORD = "[A-Za-z]++(?:\\s*\\^\\s*\\{?\\d\\}?|[²³])?";
    // Possessive ++ and *+: "abc" can only be one word, so a long run of letters that fails to
    // match cannot make the regex try every way of splitting it (exponential backtracking).
    private static final String UNIT = "(?:" + DEGREE + "|\\\\?%|" + WORD + "(?:\\s*/\\s*" + WORD + ")*)";

    /** Prefix, sign, then one of \frac{a}{b}, a/b, a; then units and a final full stop. */
    private static final Pattern NUMBER = Pattern.compile(
            "(?:[A-Za-z]\\s*=\\s*)?(?:\\\\?\\$)?\\s*(?<sign>" + SIGN + ")?\\s*(?:\\\\?\\$)?\\s*"
            + "(?:\\\\[dt]?frac\\s*\\{\\s*(?<fnum>" + SIGNED + ")\\s*\\}\\s*\\{\\s*(?<fden>" + SIGNED + ")\\s*\\}"
            + "|(?<snum>" + UNSIGNED + ")\\s*/\\s*(?<sden>" + UNSIGNED + ")"
            + "|(?<num>" + UNSIGNED + "))"
            + "(?:\\s*+" + UNIT + ")*\\s*\\.?");

    private static final Pattern WRAPPER = Pattern.compile("\\\\(?:text|mathrm|mbox|textrm)\\s*\\{([^{}]*)\\}");
    private static final Pattern LATEX_SPACE = Pattern.compile("\\\\[,;:! ]|~|\\\\(?:displaystyle|left|right)\\b");

    /** The judgement: numerically equal when both sides are numbers, else equal as normalised strings. */
    public static boolean equivalent(String answer, String reference) {
        OptionalDouble a = parse(answer), b = parse(reference);
        if (a.isPresent() && b.isPresent()) return close(a.getAsDouble(), b.getAsDouble());
        return normalise(answer).equals(normalise(reference));
    }

    /** Equal within the tolerance above. */
    public static boolean close(double a, double b) {
        if (a == b) return true;                       // also two equal infinities (400-digit answers)
        double bound = Math.max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b)));
        return Math.abs(a - b) <= bound;
    }

    /** The value of {@code s} if it is one of the accepted numeric forms, else empty. */
    public static OptionalDouble parse(String s) {
        Matcher m = NUMBER.matcher(clean(s));
        if (!m.matches()) return OptionalDouble.empty();
        double value;
        if (m.group("num") != null) value = unsigned(m.group("num"));
        else {
            boolean frac = m.group("fnum") != null;
            double num = frac ? signed(m.group("fnum")) : unsigned(m.group("snum"));
            double den = frac ? signed(m.group("fden")) : unsigned(m.group("sden"));
            if (den == 0) return OptionalDouble.empty();
            value = num / den;
        }
        return OptionalDouble.of(m.group("sign") != null && !m.group("sign").equals("+") ? -value : value);
    }

    /** The string form compared when a side is not a number. */
    public static String normalise(String s) {
        String t = clean(s).toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
        if (t.endsWith(".")) t = t.substring(0, t.length() - 1);
        if (t.matches("\\([a-z]\\)")) t = t.substring(1, 2);
        return t;
    }

    /** Delimiters and text wrappers off, LaTeX spaces to plain spaces; shared by both paths. */
    private static String clean(String s) {
        String t = s.strip();
        for (String[] d : new String[][] {{"$", "$"}, {"\\(", "\\)"}, {"\\[", "\\]"}}) {
            // Only a pair that wraps the whole answer: "$5" keeps its dollar (a currency).
            if (t.length() > d[0].length() + d[1].length() && t.startsWith(d[0]) && t.endsWith(d[1]))
                t = t.substring(d[0].length(), t.length() - d[1].length()).strip();
        }
        t = WRAPPER.matcher(t).replaceAll(" $1 ");
        return LATEX_SPACE.matcher(t).replaceAll(" ").strip();
    }

    private static double unsigned(String s) { return Double.parseDouble(s.replace(",", "")); }

    private static double signed(String s) {
        String t = s.replaceAll("\\s+", "");
        boolean minus = t.startsWith("-") || t.startsWith("\u2212");
        if (minus || t.startsWith("+")) t = t.substring(1);
        return minus ? -unsigned(t) : unsigned(t);
    }
}
