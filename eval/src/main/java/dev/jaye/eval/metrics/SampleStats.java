// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.metrics;

/**
 * Mean, <b>sample</b> standard deviation (divide by n − 1) and the standard error of the mean,
 * the numbers behind every standard error and band here: over a run's questions (the evaluator's {@code accuracy_se}) and
 * over seeds (the report's curves, the experiment's summary). A handful of questions or seeds is
 * a sample, and n − 1 makes the variance estimate unbiased. numpy's {@code std} divides by n by
 * default; to compare with a figure made that way, multiply by sqrt((n − 1) / n).
 */
public final class SampleStats {
    private SampleStats() {}

    /** Arithmetic mean; NaN for no values. */
    public static double mean(double... v) {
        if (v.length == 0) return Double.NaN;
        double s = 0;
        for (double d : v) s += d;
        return s / v.length;
    }

    /** Sample standard deviation (n − 1); NaN for fewer than two values. */
    public static double std(double... v) {
        if (v.length < 2) return Double.NaN;
        double m = mean(v), ss = 0;
        for (double d : v) ss += (d - m) * (d - m);           // two passes: no cancellation of large sums
        return Math.sqrt(ss / (v.length - 1));
    }

    /**
     * The standard error of the mean, std / sqrt(n): what another sample of as many questions (or
     * seeds) would move the mean by, one SD of it. NaN for fewer than two values.
     */
    public static double standardError(double... v) {
        return std(v) / Math.sqrt(v.length);
    }
}
