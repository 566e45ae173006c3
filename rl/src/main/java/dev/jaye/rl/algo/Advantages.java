// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

/**
 * Advantage estimators: from each response's score (its verifiable reward) to a number per
 * response token saying how much better than expected the token's choice turned out. The policy
 * gradient pushes up the log-probability of tokens with a positive advantage and down those with
 * a negative one; subtracting an expectation (a baseline) leaves the gradient unbiased but makes
 * it far less noisy.
 *
 * <p>Two families, neither with a learned critic:
 * <ul>
 * <li>REINFORCE++ shapes a per-token reward with the KL to the reference model and takes
 *     discounted returns; its baseline is the batch mean, applied later by
 *     {@link Normalization} with {@link Scope#BATCH}.</li>
 * <li>The group estimators (GRPO, Dr. GRPO, RLOO) sample several responses per query and use
 *     the other responses to the same query as the baseline. They give one value per response,
 *     shared by all its tokens; their KL term goes in the loss instead of the reward.</li>
 * </ul>
 * Arithmetic is in double; the token arrays are float because the loss consumes them in float.
 * Every method returns new arrays and leaves its inputs alone.
 */
public final class Advantages {
    private Advantages() {}

    /** GRPO's guard against a zero std, as {@link #compute} uses it. */
    static final double GRPO_EPS = 1e-6;

    /**
     * REINFORCE++ returns (docs/method.md step IV). Row i gets the per-token reward
     * <pre>  r_t = -klCoeff · kl[i][t]  (+ scores[i] at the last token t = T-1, the &lt;eos&gt;)</pre>
     * and the return accumulated backwards, {@code G_t = r_t + gamma · G_{t+1}} with
     * {@code G_T = 0}, i.e. {@code G_t = Σ_{k≥t} gamma^(k-t) r_k}. The score arrives only at the
     * end because only the finished answer can be judged; the KL penalty arrives at every token
     * because every token can drift from the reference. kl[i] is the per-token KL estimate
     * (old logprob - ref logprob) of row i, and its length is the response length; a row of
     * length 0 gets an empty array.
     *
     * @return a new float[n][len_i]
     */
    public static float[][] reinforcePlusPlus(double[] scores, float[][] kl, double klCoeff, double gamma) {
        checkScores(scores);
        checkRows(kl, scores.length);
        if (!(klCoeff >= 0) || Double.isInfinite(klCoeff))
            throw new IllegalArgumentException("klCoeff must be finite and >= 0, got " + klCoeff);
        if (!(gamma >= 0 && gamma <= 1)) throw new IllegalArgumentException("gamma must be in [0, 1], got " + gamma);
        float[][] returns = new float[kl.length][];
        for (int i = 0; i < kl.length; i++) {
            int len = kl[i].length;
            returns[i] = new float[len];
            double g = 0;                              // G_T: nothing follows the <eos>
            for (int t = len - 1; t >= 0; t--) {
                float k = kl[i][t];
                if (!Float.isFinite(k)) throw new IllegalArgumentException("kl[" + i + "][" + t + "] is " + k);
                double r = -klCoeff * k + (t == len - 1 ? scores[i] : 0);
                g = r + gamma * g;
                returns[i][t] = (float) g;
            }
        }
        return returns;
    }

    /**
     * GRPO: {@code A_i = (s_i - mean_g) / (std_g + eps)} over the group g of row i, with std the
     * unbiased sample std {@code sqrt(Σ (s_j - mean_g)² / (n_g - 1))}. Dividing by the std makes
     * every question's advantages the same size whatever its reward spread; eps keeps a group
     * whose scores are all equal at 0 instead of 0/0. A group of one has no baseline and gets 0.
     *
     * @param group the query index of row i (groups need not be contiguous)
     * @param eps   must be &gt; 0
     */
    public static double[] grpo(double[] scores, int[] group, double eps) {
        checkScores(scores);
        if (!(eps > 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
        Groups g = Groups.of(group, scores.length, "scores");
        double[] mean = g.means(scores), squares = new double[g.count()];
        for (int i = 0; i < scores.length; i++) {
            double d = scores[i] - mean[g.index()[i]];
            squares[g.index()[i]] += d * d;
        }
        double[] adv = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int k = g.index()[i], n = g.size()[k];
            if (n > 1) adv[i] = (scores[i] - mean[k]) / (Math.sqrt(squares[k] / (n - 1)) + eps);
        }
        return adv;
    }

    /**
     * Dr. GRPO: {@code A_i = s_i - mean_g}, GRPO without the std. The std division gives
     * questions that are almost always (or almost never) solved the largest advantages, a bias
     * toward too-easy and too-hard questions; dropping it keeps the plain baseline. A group of
     * one gets 0.
     */
    public static double[] drGrpo(double[] scores, int[] group) {
        checkScores(scores);
        Groups g = Groups.of(group, scores.length, "scores");
        double[] mean = g.means(scores), adv = new double[scores.length];
        for (int i = 0; i < scores.length; i++) adv[i] = scores[i] - mean[g.index()[i]];
        return adv;
    }

    /**
     * RLOO: {@code A_i = s_i - (Σ_{j∈g, j≠i} s_j) / (n_g - 1)}, the score minus the mean of the
     * OTHER responses to the same query. Leaving s_i out of its own baseline keeps the baseline
     * independent of the action it judges, which is what makes the estimate unbiased; the result
     * is {@code n/(n-1)} times Dr. GRPO's. A group of one has no others and gets 0.
     */
    public static double[] rloo(double[] scores, int[] group) {
        checkScores(scores);
        Groups g = Groups.of(group, scores.length, "scores");
        double[] sum = new double[g.count()], adv = new double[scores.length];
        for (int i = 0; i < scores.length; i++) sum[g.index()[i]] += scores[i];
        for (int i = 0; i < scores.length; i++) {
            int k = g.index()[i], n = g.size()[k];
            if (n > 1) adv[i] = scores[i] - (sum[k] - scores[i]) / (n - 1);
        }
        return adv;
    }

    /** One value per row broadcast to each of its {@code lengths[i]} tokens: a new float[n][lengths[i]]. */
    public static float[][] perToken(double[] perRow, int[] lengths) {
        if (perRow == null || lengths == null) throw new IllegalArgumentException("perRow and lengths must not be null");
        if (perRow.length != lengths.length)
            throw new IllegalArgumentException("perRow has " + perRow.length + " rows but lengths has " + lengths.length);
        float[][] out = new float[perRow.length][];
        for (int i = 0; i < perRow.length; i++) {
            if (lengths[i] < 0) throw new IllegalArgumentException("lengths[" + i + "] is negative: " + lengths[i]);
            if (!Double.isFinite(perRow[i])) throw new IllegalArgumentException("perRow[" + i + "] is " + perRow[i]);
            out[i] = new float[lengths[i]];
            java.util.Arrays.fill(out[i], (float) perRow[i]);
        }
        return out;
    }

    /**
     * The advantages of estimator {@code e}, one float per response token (row i has
     * {@code kl[i].length} tokens). REINFORCE_PP is {@link #reinforcePlusPlus}; the group
     * estimators are {@link #perToken} of {@link #grpo} (eps {@value #GRPO_EPS}), {@link #drGrpo}
     * or {@link #rloo}, and ignore klCoeff, gamma and the KL values: their KL goes in the loss.
     * REINFORCE_PP does not read {@code group}, which may then be null.
     */
    public static float[][] compute(Estimator e, double[] scores, int[] group, float[][] kl, double klCoeff, double gamma) {
        if (e == null) throw new IllegalArgumentException("estimator is null");
        if (e == Estimator.REINFORCE_PP) return reinforcePlusPlus(scores, kl, klCoeff, gamma);
        checkScores(scores);
        checkRows(kl, scores.length);
        int[] lengths = new int[kl.length];
        for (int i = 0; i < kl.length; i++) lengths[i] = kl[i].length;
        double[] perRow = switch (e) {
            case GRPO -> grpo(scores, group, GRPO_EPS);
            case DR_GRPO -> drGrpo(scores, group);
            case RLOO -> rloo(scores, group);
            case REINFORCE_PP -> throw new AssertionError("handled above");
        };
        return perToken(perRow, lengths);
    }

    /** A NaN or infinite score would silently poison its whole group (or batch), so it stops here. */
    private static void checkScores(double[] scores) {
        if (scores == null) throw new IllegalArgumentException("scores is null");
        for (int i = 0; i < scores.length; i++)
            if (!Double.isFinite(scores[i])) throw new IllegalArgumentException("score of row " + i + " is " + scores[i]);
    }

    private static void checkRows(float[][] kl, int rows) {
        if (kl == null) throw new IllegalArgumentException("kl is null");
        if (kl.length != rows) throw new IllegalArgumentException("kl has " + kl.length + " rows but scores has " + rows);
        for (int i = 0; i < kl.length; i++) if (kl[i] == null) throw new IllegalArgumentException("kl[" + i + "] is null");
    }
}
