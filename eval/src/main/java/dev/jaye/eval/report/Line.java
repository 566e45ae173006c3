// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import java.util.Map;

/**
 * One line of a metrics file: its numbers and its strings, and where it came from.
 *
 * <p>A JSON {@code null} (an undefined metric, e.g. a ratio over zero responses) is kept as NaN,
 * the same as a key that is absent: both mean "no value here", and every consumer skips NaN.
 *
 * @param number 1-based line number in {@code file}, for error messages
 * @param arrays keys holding arrays of numbers (an evaluation's {@code right_per_question})
 */
public record Line(String file, int number, Map<String, Double> numbers, Map<String, String> strings,
                   Map<String, double[]> arrays) {

    public Line(String file, int number, Map<String, Double> numbers, Map<String, String> strings) {
        this(file, number, numbers, strings, Map.of());
    }

    /** The kinds of line the trainers and the evaluator write; anything else is ignored. */
    public enum Kind {
        /** An evaluation of one split under one generation setting ({@code setting}, {@code split}). */
        EVAL,
        /** One RL generation step ({@code policy_loss}). */
        RL_STEP,
        /** Training accuracy accumulated over an RL epoch ({@code train_accuracy}). */
        TRAIN_ACCURACY,
        /** One SFT optimiser step ({@code loss}, {@code step}). */
        SFT_STEP,
        OTHER
    }

    public Kind kind() {
        if (strings.containsKey("setting") && strings.containsKey("split")) return Kind.EVAL;
        if (numbers.containsKey("policy_loss")) return Kind.RL_STEP;
        if (numbers.containsKey("train_accuracy")) return Kind.TRAIN_ACCURACY;
        if (numbers.containsKey("loss") && numbers.containsKey("step")) return Kind.SFT_STEP;
        return Kind.OTHER;
    }

    /** The value of a numeric key; NaN when absent or null. */
    public double num(String key) {
        Double v = numbers.get(key);
        return v == null ? Double.NaN : v;
    }

    /** The value of a string key, or null. */
    public String str(String key) {
        return strings.get(key);
    }

    /** The array under {@code key}, or null when the line has none (written before the key existed). */
    public double[] array(String key) {
        return arrays.get(key);
    }

    /**
     * What an evaluation reports for its setting: pass@k for a setting of k > 1 (pass@8 at T 1.0:
     * how often one of 8 answers is right, the method's upper bound), else {@code accuracy}, the
     * share of right answers (pass@1, averaged over the n drawn per question). NaN when absent.
     */
    public double score() {
        int k = (int) num("k");
        return k > 1 ? num("pass@" + k) : num("accuracy");
    }

    /** True for a setting whose score is pass@k of k > 1 ("pass@8_t1.0"), by its name. */
    public static boolean scoresPassAtK(String setting) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^pass@(\\d+)").matcher(setting);
        return m.find() && Integer.parseInt(m.group(1)) > 1;
    }

    /** The standard error of {@link #score} over questions; NaN when unknown (a pass@k line without right_per_question). */
    public double scoreSe() {
        if (!((int) num("k") > 1)) return num("accuracy_se");
        double[] q = scorePerQuestion();
        return q == null ? Double.NaN : dev.jaye.eval.metrics.SampleStats.standardError(q);
    }

    /** Each question's {@link #score}: its share of right answers, or its pass@k estimate; null without right_per_question. */
    public double[] scorePerQuestion() {
        return scorePerQuestion(array("right_per_question"), num("n"), (int) num("k"));
    }

    /** The same from an evaluation's right answers per question out of n, for the setting's k. */
    static double[] scorePerQuestion(double[] right, double n, int k) {
        if (right == null || !(n >= 1)) return null;
        double[] p = new double[right.length];
        for (int i = 0; i < p.length; i++)
            p[i] = k > 1 && k <= n ? dev.jaye.eval.metrics.PassAtK.estimate((int) n, (int) right[i], k) : right[i] / n;
        return p;
    }

    /** "file:line", the prefix of every message about this line. */
    public String where() {
        return file + ":" + number;
    }
}
