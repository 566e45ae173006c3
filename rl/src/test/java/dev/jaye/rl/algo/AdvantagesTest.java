// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

import org.junit.jupiter.api.Test;

import static dev.jaye.rl.algo.Tokens.assertTokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each estimator on small inputs whose expected values are worked out by hand in the comments. */
class AdvantagesTest {

    // Six rows of three queries, labelled 7, 3 and 9 and interleaved (groups need not be contiguous):
    //   query 7: rows 0, 2, 4 with scores 1, 0, 1 -> mean 2/3, deviations 1/3, -2/3, 1/3
    //   query 3: rows 1, 3    with scores 0, 1    -> mean 1/2, deviations -1/2, 1/2
    //   query 9: row 5 alone  with score 0.5      -> no baseline, advantage 0
    static final double[] SCORES = {1, 0, 0, 1, 1, 0.5};
    static final int[] GROUP = {7, 3, 7, 3, 7, 9};

    @Test
    void grpoDividesByTheUnbiasedGroupStd() {
        // query 7: Σd² = 1/9 + 4/9 + 1/9 = 2/3, var = (2/3)/(3-1) = 1/3, std = 0.57735027
        //   -> (1/3)/0.57735027 = 0.57735027 and (-2/3)/0.57735027 = -1.15470054
        // query 3: Σd² = 1/2, var = 1/2, std = 0.70710678 -> ∓0.5/0.70710678 = ∓0.70710678
        double[] a = Advantages.grpo(SCORES, GROUP, 1e-6);
        assertArrayEquals(new double[] {0.57735027, -0.70710678, -1.15470054, 0.70710678, 0.57735027, 0}, a, 1e-5);
    }

    @Test
    void grpoEpsIsAddedToTheStd() {
        // scores 1, 0: std = sqrt(0.5), so 0.5 / (sqrt(0.5) + 0.5) = sqrt(2) - 1
        double[] a = Advantages.grpo(new double[] {1, 0}, new int[] {0, 0}, 0.5);
        assertArrayEquals(new double[] {Math.sqrt(2) - 1, 1 - Math.sqrt(2)}, a, 1e-12);
    }

    @Test
    void grpoGivesZeroToAGroupWhoseScoresAreEqual() {
        // Every response right (or every one wrong): nothing to learn from this query.
        assertArrayEquals(new double[] {0, 0, 0}, Advantages.grpo(new double[] {1, 1, 1}, new int[] {4, 4, 4}, 1e-6));
    }

    @Test
    void drGrpoSubtractsTheGroupMeanOnly() {
        double[] a = Advantages.drGrpo(SCORES, GROUP);
        assertArrayEquals(new double[] {1 / 3.0, -0.5, -2 / 3.0, 0.5, 1 / 3.0, 0}, a, 1e-12);
    }

    @Test
    void rlooSubtractsTheMeanOfTheOthers() {
        // row 0: 1 - mean(0, 1) = 0.5; row 2: 0 - mean(1, 1) = -1; row 4: 1 - mean(1, 0) = 0.5
        // row 1: 0 - 1 = -1; row 3: 1 - 0 = 1; row 5: alone, 0
        double[] a = Advantages.rloo(SCORES, GROUP);
        assertArrayEquals(new double[] {0.5, -1, -1, 1, 0.5, 0}, a, 1e-12);
    }

    @Test
    void reinforcePlusPlusDiscountsAKlShapedReward() {
        // klCoeff 0.1, gamma 0.5.
        // row 0: r = (-0.02, 0.01, -0.04 + 1) = (-0.02, 0.01, 0.96)
        //        G2 = 0.96, G1 = 0.01 + 0.5·0.96 = 0.49, G0 = -0.02 + 0.5·0.49 = 0.225
        // row 1: a single token, r = -0.05 + score 0 -> G0 = -0.05
        // row 2: an empty response, an empty row
        float[][] kl = {{0.2f, -0.1f, 0.4f}, {0.5f}, {}};
        float[][] g = Advantages.reinforcePlusPlus(new double[] {1, 0, 1}, kl, 0.1, 0.5);
        assertTokens(new double[][] {{0.225, 0.49, 0.96}, {-0.05}, {}}, g, 1e-6);
    }

    @Test
    void reinforcePlusPlusWithGammaOneSumsTheRemainingRewards() {
        // r = (-0.02, 0.01, 0.96): G2 = 0.96, G1 = 0.97, G0 = 0.95
        float[][] g = Advantages.reinforcePlusPlus(new double[] {1}, new float[][] {{0.2f, -0.1f, 0.4f}}, 0.1, 1);
        assertTokens(new double[][] {{0.95, 0.97, 0.96}}, g, 1e-6);
    }

    @Test
    void reinforcePlusPlusWithoutKlGivesEveryTokenTheScore() {
        float[][] g = Advantages.reinforcePlusPlus(new double[] {2, -1}, new float[][] {{0.3f, 0.3f, 0.3f}, {0.7f, 0.1f}}, 0, 1);
        assertTokens(new double[][] {{2, 2, 2}, {-1, -1}}, g, 0);
    }

    @Test
    void perTokenBroadcastsEachRowToItsLength() {
        float[][] t = Advantages.perToken(new double[] {0.5, -1, 2}, new int[] {2, 0, 3});
        assertTokens(new double[][] {{0.5, 0.5}, {}, {2, 2, 2}}, t, 0);
    }

    // compute: queries 0 and 1 with scores (1, 0) and (0, 1); responses of 2, 1, 0 and 3 tokens.
    static final double[] S = {1, 0, 0, 1};
    static final int[] G = {0, 0, 1, 1};
    static final float[][] KL = {{0.3f, -0.2f}, {0.1f}, {}, {0.4f, 0.4f, -0.5f}};

    @Test
    void computeBroadcastsTheGroupEstimatorsOverTheKlLengths() {
        // The group estimators ignore the KL values, klCoeff and gamma (0.1 and 0.5 here).
        assertTokens(new double[][] {{0.5, 0.5}, {-0.5}, {}, {0.5, 0.5, 0.5}},
                Advantages.compute(Estimator.DR_GRPO, S, G, KL, 0.1, 0.5), 1e-7);
        assertTokens(new double[][] {{1, 1}, {-1}, {}, {1, 1, 1}},
                Advantages.compute(Estimator.RLOO, S, G, KL, 0.1, 0.5), 1e-7);
        double r = Math.sqrt(0.5);   // each group's 0.5 / std sqrt(0.5)
        assertTokens(new double[][] {{r, r}, {-r}, {}, {r, r, r}},
                Advantages.compute(Estimator.GRPO, S, G, KL, 0.1, 0.5), 1e-5);
    }

    @Test
    void computeRunsReinforcePlusPlusOnTheKl() {
        // As in reinforcePlusPlusDiscountsAKlShapedReward; REINFORCE++ does not need the groups.
        float[][] g = Advantages.compute(Estimator.REINFORCE_PP, new double[] {1, 0, 1}, null,
                new float[][] {{0.2f, -0.1f, 0.4f}, {0.5f}, {}}, 0.1, 0.5);
        assertTokens(new double[][] {{0.225, 0.49, 0.96}, {-0.05}, {}}, g, 1e-6);
    }

    @Test
    void inputsAreLeftAlone() {
        double[] s = S.clone();
        int[] g = G.clone();
        float[][] kl = Tokens.copy(KL);
        for (Estimator e : Estimator.values()) Advantages.compute(e, s, g, kl, 0.1, 0.5);
        assertArrayEquals(S, s);
        assertArrayEquals(G, g);
        for (int i = 0; i < KL.length; i++) assertArrayEquals(KL[i], kl[i]);
    }

    @Test
    void badInputsAreNamed() {
        assertMessage("group has 3 entries but scores has 4 rows", () -> Advantages.grpo(S, new int[] {0, 0, 1}, 1e-6));
        assertMessage("score of row 2 is NaN", () -> Advantages.rloo(new double[] {1, 0, Double.NaN}, new int[] {0, 0, 0}));
        assertMessage("score of row 1 is Infinity", () -> Advantages.drGrpo(new double[] {1, Double.POSITIVE_INFINITY}, new int[] {0, 0}));
        assertMessage("kl has 2 rows but scores has 4", () -> Advantages.compute(Estimator.RLOO, S, G, new float[2][1], 0, 1));
        assertMessage("kl[0][1] is NaN", () -> Advantages.reinforcePlusPlus(new double[] {1}, new float[][] {{0, Float.NaN}}, 0.1, 1));
        assertMessage("perRow has 2 rows but lengths has 3", () -> Advantages.perToken(new double[2], new int[3]));
        assertMessage("lengths[1] is negative", () -> Advantages.perToken(new double[2], new int[] {1, -1}));
        assertMessage("gamma must be in [0, 1], got 1.5", () -> Advantages.reinforcePlusPlus(S, KL, 0.1, 1.5));
        assertMessage("klCoeff must be finite and >= 0, got -0.1", () -> Advantages.reinforcePlusPlus(S, KL, -0.1, 1));
        assertMessage("eps must be finite and > 0, got 0.0", () -> Advantages.grpo(S, G, 0));
    }

    @Test
    void estimatorConfigNames() {
        assertEquals("reinforce_pp", Estimator.REINFORCE_PP.configName());
        assertEquals("dr_grpo", Estimator.DR_GRPO.configName());
        for (Estimator e : Estimator.values()) assertEquals(e, Estimator.parse(e.configName()));
        assertEquals(Estimator.DR_GRPO, Estimator.parse("Dr-GRPO"));
        assertEquals(Estimator.REINFORCE_PP, Estimator.parse(" REINFORCE-PP "));
        assertMessage("unknown advantage estimator 'ppo' (known: reinforce_pp, grpo, dr_grpo, rloo)", () -> Estimator.parse("ppo"));
        assertMessage("unknown advantage estimator null", () -> Estimator.parse(null));
    }

    static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
