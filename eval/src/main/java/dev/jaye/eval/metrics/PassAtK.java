// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.metrics;

import java.util.List;

/**
 * pass@k: the chance that at least one of k samples for a problem is correct.
 *
 * <p>{@link #estimate} is the unbiased estimator of Chen et al. (2021) from n ≥ k samples of
 * which c are correct: the probability that k of the n, drawn without replacement, are not all
 * wrong, 1 − C(n−c, k) / C(n, k). The binomials overflow a double from n ≈ 1000 and lose
 * precision long before, so the ratio is taken as a product of factors in (0, 1]:
 * <pre>
 *   C(n−c, k) / C(n, k) = ∏_{i = n−c+1}^{n} (1 − k / i)
 * </pre>
 * (each wrong-only draw removes one correct sample from the pool; when n − c &lt; k some draw
 * must be correct and pass@k = 1).
 *
 * <p>{@link #anyCorrect} is the plain figure: at least one correct among the first k samples.
 * With n = k (the evaluation scheme samples 8 responses for pass@8) the two are the same
 * number; with n &gt; k the estimator uses all n samples and has less variance.
 */
public final class PassAtK {
    private PassAtK() {}

    /** Samples and correct samples for one problem. */
    public record Counts(int n, int c) {
        public Counts {
            if (n < 1 || c < 0 || c > n) throw new IllegalArgumentException("need n >= 1 and 0 <= c <= n, got n=" + n + " c=" + c);
        }
    }

    /** The unbiased estimate of pass@k for one problem; needs 1 ≤ k ≤ n. */
    public static double estimate(int n, int c, int k) {
        new Counts(n, c);                                     // checks 0 <= c <= n
        if (k < 1 || k > n) throw new IllegalArgumentException("need 1 <= k <= n, got k=" + k + " n=" + n);
        if (n - c < k) return 1.0;
        double allWrong = 1.0;
        for (int i = n - c + 1; i <= n; i++) allWrong *= 1.0 - (double) k / i;
        return 1.0 - allWrong;
    }

    /** pass@k averaged over problems; NaN for no problems (see {@link Reflection} for why NaN). */
    public static double mean(List<Counts> problems, int k) {
        return problems.stream().mapToDouble(p -> estimate(p.n(), p.c(), k)).average().orElse(Double.NaN);
    }

    /** Fraction of problems with a correct answer among their first k samples; NaN for none. */
    public static double anyCorrect(List<boolean[]> problems, int k) {
        if (k < 1) throw new IllegalArgumentException("need k >= 1, got " + k);
        return problems.stream().mapToDouble(correct -> {
            if (correct.length < k) throw new IllegalArgumentException("a problem has " + correct.length + " samples, k=" + k);
            for (int i = 0; i < k; i++) if (correct[i]) return 1;
            return 0;
        }).average().orElse(Double.NaN);
    }
}
