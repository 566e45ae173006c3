// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

import org.junit.jupiter.api.Test;

import static dev.jaye.rl.algo.AdvantagesTest.assertMessage;
import static dev.jaye.rl.algo.Tokens.assertTokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Whitening on small token arrays whose expected values are worked out by hand in the comments. */
class NormalizationTest {

    // Three responses of 2, 1 and 0 tokens: 1, 3 | 5 | (none).
    // Token mean 3 (not 3.5, the mean of the row means 2 and 5: a longer response weighs more),
    // deviations -2, 0, 2, population var = (4 + 0 + 4)/3 = 8/3, std = 1.63299316,
    // so (x - mean)/std = -1.22474487, 0, 1.22474487. The 1e-8 changes std in the 9th digit only.
    static float[][] batch() {
        return new float[][] {{1, 3}, {5}, {}};
    }

    @Test
    void batchWhitening() {
        assertTokens(new double[][] {{-1.22474487, 0}, {1.22474487}, {}},
                Normalization.apply(batch(), null, Scope.BATCH, true, false), 1e-6);
    }

    @Test
    void batchCentringOnly() {
        assertTokens(new double[][] {{-2, 0}, {2}, {}}, Normalization.apply(batch(), null, Scope.BATCH, false, false), 1e-6);
    }

    @Test
    void keepMeanAddsTheMeanBack() {
        // 3 + (-1.22474487, 0, 1.22474487)
        assertTokens(new double[][] {{1.77525513, 3}, {4.22474487}, {}},
                Normalization.apply(batch(), null, Scope.BATCH, true, true), 1e-6);
        // Centring and adding the mean back is no change at all.
        assertTokens(new double[][] {{1, 3}, {5}, {}}, Normalization.apply(batch(), null, Scope.BATCH, false, true), 1e-6);
    }

    @Test
    void groupWhiteningUsesEachGroupsTokens() {
        // group 0: rows 0 and 2, tokens 1, 3, 5 -> as in batch(): -1.22474487, 0, 1.22474487
        // group 1: rows 1 and 3, tokens 10, 4, 4 -> mean 6, deviations 4, -2, -2,
        //          var = (16 + 4 + 4)/3 = 8, std = 2.82842712 -> 1.41421356, -0.70710678, -0.70710678
        float[][] adv = {{1, 3}, {10}, {5}, {4, 4}};
        Normalization.apply(adv, new int[] {0, 1, 0, 1}, Scope.GROUP, true, false);
        assertTokens(new double[][] {{-1.22474487, 0}, {1.41421356}, {1.22474487}, {-0.70710678, -0.70710678}}, adv, 1e-6);
    }

    @Test
    void noneLeavesTheTokensAsTheyAre() {
        float[][] adv = batch();
        assertSame(adv, Normalization.apply(adv, new int[] {0, 0, 1}, Scope.NONE, true, false));
        assertTokens(new double[][] {{1, 3}, {5}, {}}, adv, 0);
    }

    @Test
    void normalisesInPlaceAndReturnsTheSameArray() {
        float[][] adv = batch();
        assertSame(adv, Normalization.apply(adv, null, Scope.BATCH, false, false));
        assertEquals(-2f, adv[0][0]);
    }

    @Test
    void aScopeWithoutTokensIsLeftAlone() {
        // group 5 has only an empty response; group 6 is 2, 4 -> mean 3, var 1 -> -1, 1
        float[][] adv = {{}, {2, 4}};
        Normalization.apply(adv, new int[] {5, 6}, Scope.GROUP, true, false);
        assertTokens(new double[][] {{}, {-1, 1}}, adv, 1e-6);
        assertTokens(new double[][] {{}, {}}, Normalization.apply(new float[][] {{}, {}}, null, Scope.BATCH, true, false), 0);
    }

    @Test
    void equalTokensBecomeZeroNotNaN() {
        // var 0: (7 - 7)/sqrt(0 + 1e-8) = 0; keeping the mean gives 7 back
        assertTokens(new double[][] {{0, 0}}, Normalization.apply(new float[][] {{7, 7}}, null, Scope.BATCH, true, false), 0);
        assertTokens(new double[][] {{7, 7}}, Normalization.apply(new float[][] {{7, 7}}, null, Scope.BATCH, true, true), 0);
    }

    @Test
    void badInputsAreNamed() {
        assertMessage("group has 2 entries but adv has 3 rows", () -> Normalization.apply(batch(), new int[2], Scope.BATCH, true, false));
        assertMessage("group is null", () -> Normalization.apply(batch(), null, Scope.GROUP, true, false));
        assertMessage("adv[1][0] is NaN", () -> Normalization.apply(new float[][] {{1}, {Float.NaN}}, null, Scope.BATCH, true, false));
        assertMessage("scope is null", () -> Normalization.apply(batch(), null, null, true, false));
    }

    @Test
    void scopeConfigNames() {
        assertEquals("group", Scope.GROUP.configName());
        for (Scope s : Scope.values()) assertEquals(s, Scope.parse(s.configName()));
        assertEquals(Scope.BATCH, Scope.parse("Batch"));
        assertMessage("unknown normalisation scope 'token' (known: group, batch, none)", () -> Scope.parse("token"));
    }
}
