// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

/**
 * Pearson's correlation coefficient, for the second finding (reflection against length).
 *
 * <p>r = cov(x, y) / (sd(x) sd(y)), computed from deviations about the means (two passes), since
 * the one-pass sum-of-products formula loses digits when the means are large next to the spread
 * (response lengths near 60 tokens moving by 1).
 */
public final class Pearson {
    private Pearson() {}

    /**
     * @param r the coefficient, NaN when undefined (fewer than 3 points, or a constant variable)
     * @param n the pairs used: those where both values are defined
     */
    public record Result(double r, int n) {
        public boolean defined() {
            return !Double.isNaN(r);
        }
    }

    /** Over the pairs (x[i], y[i]) where neither is NaN. Three points at least: two always give ±1. */
    public static Result of(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("x has " + x.length + " values, y has " + y.length);
        int n = 0;
        double sx = 0, sy = 0;
        for (int i = 0; i < x.length; i++)
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                n++;
                sx += x[i];
                sy += y[i];
            }
        if (n < 3) return new Result(Double.NaN, n);
        double mx = sx / n, my = sy / n, sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++)
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                double dx = x[i] - mx, dy = y[i] - my;
                sxy += dx * dy;
                sxx += dx * dx;
                syy += dy * dy;
            }
        if (sxx == 0 || syy == 0) return new Result(Double.NaN, n);
        return new Result(Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))), n);
    }
}
