// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.generate;

import dev.jaye.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The sampler on a hand-made row of logits: the frequencies of many draws against the formulas. */
class SamplerTest {
    /** log of p = 0.5, 0.3, 0.15, 0.05, shifted by 3 (softmax does not see a shift), at offset 2 of the array. */
    static final float[] LOGITS = {9f, 9f, 3 + (float) Math.log(0.5), 3 + (float) Math.log(0.3),
            3 + (float) Math.log(0.15), 3 + (float) Math.log(0.05)};
    static final int OFF = 2, N = 4, DRAWS = 40_000;

    /**
     * Frequencies of DRAWS draws. One draw's indicator has std ≤ 0.5, so a frequency's std is
     * ≤ 0.5/√40000 = 0.0025 and 0.01 is four of them; the seed is fixed, so the test is exact anyway.
     */
    static double[] frequencies(boolean[] banned, double temperature, int topK, double topP) {
        Rng rng = new Rng(42);
        double[] f = new double[N];
        for (int i = 0; i < DRAWS; i++) f[Sampler.sample(LOGITS, OFF, N, banned, temperature, topK, topP, rng)] += 1.0 / DRAWS;
        return f;
    }

    static void near(double[] want, double[] got) {
        for (int j = 0; j < N; j++) assertEquals(want[j], got[j], 0.01, "token " + j);
    }

    @Test
    void temperatureOneDrawsFromTheSoftmax() {
        near(new double[]{0.5, 0.3, 0.15, 0.05}, frequencies(null, 1, 0, 1));
    }

    @Test
    void temperatureSharpensOrFlattens() {
        double[] p = {0.5, 0.3, 0.15, 0.05};
        for (double t : new double[]{0.5, 2.0}) {
            double[] want = new double[N];
            double z = 0;
            for (int j = 0; j < N; j++) z += want[j] = Math.pow(p[j], 1 / t);   // softmax(log p / t) ∝ p^(1/t)
            for (int j = 0; j < N; j++) want[j] /= z;
            near(want, frequencies(null, t, 0, 1));
        }
    }

    @Test
    void topKAndTopPKeepTheMostLikelyAndRenormalise() {
        near(new double[]{0.625, 0.375, 0, 0}, frequencies(null, 1, 2, 1));              // top-2: 0.5, 0.3 over 0.8
        near(new double[]{0.625, 0.375, 0, 0}, frequencies(null, 1, 0, 0.7));            // 0.5 < 0.7 <= 0.8
        near(new double[]{0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0}, frequencies(null, 1, 0, 0.85));
        near(new double[]{0.625, 0.375, 0, 0}, frequencies(null, 1, 2, 0.9));             // top-p of the top-2's mass
        near(new double[]{1, 0, 0, 0}, frequencies(null, 1, 0, 1e-6));                   // tiny p: greedy
        near(new double[]{1, 0, 0, 0}, frequencies(null, 1, 1, 1));                      // top-1: greedy
    }

    @Test
    void bannedTokensAreNeverDrawnAndGreedyTakesTheFirstLargest() {
        boolean[] banned = {true, false, false, false};
        near(new double[]{0, 0.6, 0.3, 0.1}, frequencies(banned, 1, 0, 1));
        assertEquals(0, Sampler.sample(LOGITS, OFF, N, null, 0, 0, 1, null));
        assertEquals(1, Sampler.sample(LOGITS, OFF, N, banned, 0, 0, 1, null));
        assertEquals(0, Sampler.sample(LOGITS, 0, N, null, 0, 0, 1, null), "a tie goes to the lower id");
        assertThrows(IllegalArgumentException.class, () -> Sampler.sample(LOGITS, OFF, N, new boolean[]{true, true, true, true}, 1, 0, 1, new Rng(1)));
    }

    @Test
    void logProbIsTheRawLogSoftmax() {
        float[] scratch = new float[N];
        double[] p = {0.5, 0.3, 0.15, 0.05};
        for (int j = 0; j < N; j++) assertEquals(Math.log(p[j]), Sampler.logProb(LOGITS, OFF, N, j, scratch), 1e-6);
    }
}
