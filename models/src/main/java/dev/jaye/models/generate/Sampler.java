// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.generate;

import dev.jaye.tensor.Rng;
import dev.jaye.tensor.kernels.Softmax;

import java.util.Arrays;

/**
 * Picks the next token from one row of logits, and says how likely the model found it.
 *
 * <p>Sampling, in the usual order (as Hugging Face and vLLM apply it):
 * <ol>
 *   <li>banned ids get probability 0 (see {@link Generator} for which, and why);
 *   <li>temperature: p_j ∝ exp(logit_j / T); T = 0 means greedy, the first largest logit;
 *   <li>top-k (0 = off): keep the k most likely tokens;
 *   <li>top-p (1 = off): of those, keep the fewest most likely whose mass reaches p of the total
 *       (always at least one, so a tiny p is greedy);
 *   <li>one uniform draw u from the row's own {@link Rng}, and the token where the running sum
 *       of the kept probabilities, in id order, first exceeds u·(their total).
 * </ol>
 * Exactly one draw per sampled token, whatever the filters, so a row's random stream advances
 * the same way in any batch.
 *
 * <p>The log-probability reported is NOT that of the sampling distribution: it is
 * log_softmax(raw logits)[token], temperature 1, no filter, no ban. That is the policy's
 * log-probability, the number the method's step III recomputes from the ids (the PPO ratio and
 * the KL compare it with later passes), so generation and {@link LogProbs} must produce it in the
 * same way: both go through {@link Softmax#logSoftmaxRow}.
 */
public final class Sampler {
    private Sampler() {}

    /**
     * The next token of {@code logits[off, off + n)}. {@code banned} (length n, or null) marks ids
     * never to pick; at least one id must be allowed.
     */
    public static int sample(float[] logits, int off, int n, boolean[] banned, double temperature, int topK,
                             double topP, Rng rng) {
        if (temperature == 0) return argmax(logits, off, n, banned);
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) if (allowed(banned, j)) max = Math.max(max, logits[off + j]);
        if (max == Float.NEGATIVE_INFINITY) throw new IllegalArgumentException("every token is banned");
        double[] p = new double[n];                     // unnormalised: exp((l - max) / T), in (0, 1]
        for (int j = 0; j < n; j++) if (allowed(banned, j)) p[j] = Math.exp((logits[off + j] - max) / temperature);
        if (topK > 0 || topP < 1) keepMostLikely(p, topK, topP);

        double total = 0;
        for (double v : p) total += v;
        double u = rng.uniform() * total, cum = 0;
        int last = -1;
        for (int j = 0; j < n; j++) {
            if (p[j] == 0) continue;
            cum += p[j];
            last = j;
            if (u < cum) return j;
        }
        return last;                                    // u·total rounded up to the full sum
    }

    /**
     * Zeroes every p_j outside the top-k / top-p set. Tokens are ranked by p, ties by the lower
     * id, by sorting longs that hold (p's float bits, inverted, so larger sorts first ; id): a
     * non-negative float's bits order the same way as the float.
     */
    static void keepMostLikely(double[] p, int topK, double topP) {
        int n = p.length, m = 0;
        long[] order = new long[n];
        for (int j = 0; j < n; j++)
            if (p[j] > 0) order[m++] = ((long) ~Float.floatToRawIntBits((float) p[j]) << 32) | j;
        Arrays.sort(order, 0, m);                       // ~bits is negative for p > 0: most likely first
        int keep = topK > 0 ? Math.min(m, topK) : m;
        if (topP < 1) {
            double mass = 0, cum = 0;
            for (int i = 0; i < keep; i++) mass += p[(int) order[i]];
            for (int i = 0; i < keep; i++) {
                cum += p[(int) order[i]];
                if (cum >= topP * mass) {
                    keep = i + 1;
                    break;
                }
            }
        }
        for (int i = keep; i < m; i++) p[(int) order[i]] = 0;
    }

    /** The first largest allowed logit. */
    static int argmax(float[] logits, int off, int n, boolean[] banned) {
        int best = -1;
        for (int j = 0; j < n; j++)
            if (allowed(banned, j) && (best < 0 || logits[off + j] > logits[off + best])) best = j;
        if (best < 0) throw new IllegalArgumentException("every token is banned");
        return best;
    }

    /**
     * log_softmax(logits[off, off + n))[token]: the model's own log-probability, temperature 1.
     * {@code scratch} holds n floats.
     */
    public static float logProb(float[] logits, int off, int n, int token, float[] scratch) {
        Softmax.logSoftmaxRow(logits, off, scratch, 0, n);
        return scratch[token];
    }

    private static boolean allowed(boolean[] banned, int j) {
        return banned == null || !banned[j];
    }
}
