// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the estimators promise on random batches (fixed seeds). */
class AdvantagesPropertiesTest {

    /** Scores of rows grouped by query; toString shows the arrays in jqwik's reports. */
    record Batch(double[] scores, int[] group) {
        @Override
        public String toString() {
            return "scores " + Arrays.toString(scores) + ", group " + Arrays.toString(group);
        }

        /** The mean score of group label {@code g} and its row count. */
        double[] meanAndSize(int g) {
            double sum = 0, n = 0;
            for (int i = 0; i < scores.length; i++) if (group[i] == g) { sum += scores[i]; n++; }
            return new double[] {sum / n, n};
        }
    }

    /**
     * 1 to 16 rows in up to 5 interleaved groups. Half the scores are 0/1, as a verifier gives
     * them, so groups whose scores are all equal come up often.
     */
    @Provide
    Arbitrary<Batch> batches() {
        Arbitrary<Double> score = Arbitraries.oneOf(Arbitraries.doubles().between(-5, 5), Arbitraries.of(0.0, 1.0));
        return Arbitraries.integers().between(1, 16).flatMap(n -> Combinators.combine(
                score.array(double[].class).ofSize(n),
                Arbitraries.integers().between(0, 4).array(int[].class).ofSize(n)).as(Batch::new));
    }

    /** A baseline that is the group's own mean leaves nothing over: each group's advantages sum to 0. */
    @Property(tries = 200, seed = "42")
    void groupAdvantagesSumToZeroInEachGroup(@ForAll("batches") Batch b) {
        for (double[] a : new double[][] {Advantages.grpo(b.scores(), b.group(), 1e-6),
                Advantages.drGrpo(b.scores(), b.group()), Advantages.rloo(b.scores(), b.group())}) {
            double[] sum = new double[5];
            for (int i = 0; i < a.length; i++) sum[b.group()[i]] += a[i];
            for (double s : sum) assertEquals(0, s, 1e-6);
        }
    }

    /** s_i - (n·mean - s_i)/(n-1) = n/(n-1)·(s_i - mean). */
    @Property(tries = 200, seed = "42")
    void rlooIsDrGrpoScaledByNOverNMinusOne(@ForAll("batches") Batch b) {
        double[] rloo = Advantages.rloo(b.scores(), b.group()), dr = Advantages.drGrpo(b.scores(), b.group());
        for (int i = 0; i < rloo.length; i++) {
            double n = b.meanAndSize(b.group()[i])[1];
            assertEquals(n == 1 ? 0 : n / (n - 1) * dr[i], rloo[i], 1e-9, "row " + i);
        }
    }

    /** Dr. GRPO is the distance from the group mean, recomputed here the slow way. */
    @Property(tries = 200, seed = "42")
    void drGrpoIsTheDistanceFromTheGroupMean(@ForAll("batches") Batch b) {
        double[] dr = Advantages.drGrpo(b.scores(), b.group());
        for (int i = 0; i < dr.length; i++) assertEquals(b.scores()[i] - b.meanAndSize(b.group()[i])[0], dr[i], 1e-9);
    }

    /** Within a group whose scores spread, GRPO's advantages have a sample std of (almost) 1. */
    @Property(tries = 200, seed = "42")
    void grpoGivesEachSpreadGroupUnitStd(@ForAll("batches") Batch b) {
        double[] a = Advantages.grpo(b.scores(), b.group(), 1e-6);
        for (int g = 0; g < 5; g++) {
            double[] ms = b.meanAndSize(g);
            if (ms[1] < 2) continue;
            double spread = 0, squares = 0;
            for (int i = 0; i < a.length; i++)
                if (b.group()[i] == g) {
                    spread += (b.scores()[i] - ms[0]) * (b.scores()[i] - ms[0]);
                    squares += a[i] * a[i];          // the advantages' mean is 0 (see above)
                }
            if (spread > 1e-3) assertEquals(1, Math.sqrt(squares / (ms[1] - 1)), 1e-4, "group " + g);
        }
    }

    /** Responses of 0 to 6 tokens with KL estimates in [-1, 1], and their scores. */
    record Rollout(double[] scores, float[][] kl) {
        @Override
        public String toString() {
            return "scores " + Arrays.toString(scores) + ", kl " + Arrays.deepToString(kl);
        }
    }

    @Provide
    Arbitrary<Rollout> rollouts() {
        Arbitrary<float[]> row = Arbitraries.floats().between(-1, 1).array(float[].class).ofMaxSize(6);
        return Arbitraries.integers().between(1, 6).flatMap(n -> Combinators.combine(
                Arbitraries.doubles().between(-2, 2).array(double[].class).ofSize(n),
                row.array(float[][].class).ofSize(n)).as(Rollout::new));
    }

    /** The backward recursion equals the forward definition G_t = Σ_{k≥t} gamma^(k-t) r_k. */
    @Property(tries = 200, seed = "42")
    void reinforcePlusPlusReturnsAreDiscountedRewardSums(@ForAll("rollouts") Rollout r,
            @ForAll @DoubleRange(min = 0, max = 1) double gamma, @ForAll @DoubleRange(min = 0, max = 0.5) double klCoeff) {
        float[][] g = Advantages.reinforcePlusPlus(r.scores(), r.kl(), klCoeff, gamma);
        for (int i = 0; i < g.length; i++) {
            int len = r.kl()[i].length;
            assertEquals(len, g[i].length);
            for (int t = 0; t < len; t++) {
                double expected = 0;
                for (int k = t; k < len; k++) {
                    double reward = -klCoeff * r.kl()[i][k] + (k == len - 1 ? r.scores()[i] : 0);
                    expected += Math.pow(gamma, k - t) * reward;
                }
                assertEquals(expected, g[i][t], 1e-5, "row " + i + ", token " + t);
            }
        }
    }

    /** Every group estimator through compute gives each token its row's value. */
    @Property(tries = 200, seed = "42")
    void computeBroadcastsTheRowValue(@ForAll("rollouts") Rollout r) {
        int[] group = new int[r.scores().length];
        for (int i = 0; i < group.length; i++) group[i] = i % 2;
        double[] rloo = Advantages.rloo(r.scores(), group);
        float[][] t = Advantages.compute(Estimator.RLOO, r.scores(), group, r.kl(), 0.1, 1);
        for (int i = 0; i < t.length; i++) {
            assertEquals(r.kl()[i].length, t[i].length);
            for (float x : t[i]) assertEquals((float) rloo[i], x);
        }
    }
}
