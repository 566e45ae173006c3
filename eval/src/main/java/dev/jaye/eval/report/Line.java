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

    /** "file:line", the prefix of every message about this line. */
    public String where() {
        return file + ":" + number;
    }
}
