// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What whitening promises on random token arrays (fixed seeds). */
class NormalizationPropertiesTest {

    /** 1 to 8 responses of 0 to 6 tokens in [-10, 10], in up to 3 interleaved groups. */
    record Rows(float[][] adv, int[] group) {
        @Override
        public String toString() {
            return "adv " + Arrays.deepToString(adv) + ", group " + Arrays.toString(group);
        }

        /** Token mean, population variance and token count over the rows with {@code keep[i]}. */
        double[] stats(float[][] x, boolean[] keep) {
            double sum = 0, n = 0, squares = 0;
            for (int i = 0; i < x.length; i++) if (keep[i]) for (float v : x[i]) { sum += v; n++; }
            double mean = sum / n;
            for (int i = 0; i < x.length; i++) if (keep[i]) for (float v : x[i]) squares += (v - mean) * (v - mean);
            return new double[] {mean, squares / n, n};
        }

        boolean[] inGroup(int g) {
            boolean[] keep = new boolean[group.length];
            for (int i = 0; i < keep.length; i++) keep[i] = group[i] == g;
            return keep;
        }

        boolean[] all() {
            boolean[] keep = new boolean[group.length];
            Arrays.fill(keep, true);
            return keep;
        }
    }

    @Provide
    Arbitrary<Rows> rows() {
        Arbitrary<float[]> row = Arbitraries.floats().between(-10, 10).array(float[].class).ofMaxSize(6);
        return Arbitraries.integers().between(1, 8).flatMap(n -> Combinators.combine(
                row.array(float[][].class).ofSize(n),
                Arbitraries.integers().between(0, 2).array(int[].class).ofSize(n)).as(Rows::new));
    }

    /** After BATCH whitening the tokens have mean 0 and population std 1 (when they had any spread). */
    @Property(tries = 200, seed = "42")
    void batchWhiteningGivesMeanZeroStdOne(@ForAll("rows") Rows t) {
        double[] before = t.stats(t.adv(), t.all());
        float[][] x = Normalization.apply(Tokens.copy(t.adv()), t.group(), Scope.BATCH, true, false);
        double[] after = t.stats(x, t.all());
        if (before[2] == 0) return;                   // nothing to normalise
        assertEquals(0, after[0], 1e-5, "mean");
        if (before[1] > 1e-2) assertEquals(1, Math.sqrt(after[1]), 1e-5, "std");
    }

    /** GROUP centring takes each group's own mean away, so each group's tokens then average 0. */
    @Property(tries = 200, seed = "42")
    void groupCentringGivesEachGroupMeanZero(@ForAll("rows") Rows t) {
        float[][] x = Normalization.apply(Tokens.copy(t.adv()), t.group(), Scope.GROUP, false, false);
        for (int g = 0; g < 3; g++) {
            double[] after = t.stats(x, t.inGroup(g));
            if (after[2] > 0) assertEquals(0, after[0], 1e-5, "group " + g);
        }
    }

    /** keepMean=true differs from keepMean=false by exactly the group's token mean, at every token. */
    @Property(tries = 200, seed = "42")
    void keepMeanShiftsByTheMean(@ForAll("rows") Rows t, @ForAll boolean divideByStd) {
        float[][] kept = Normalization.apply(Tokens.copy(t.adv()), t.group(), Scope.GROUP, divideByStd, true);
        float[][] centred = Normalization.apply(Tokens.copy(t.adv()), t.group(), Scope.GROUP, divideByStd, false);
        for (int i = 0; i < kept.length; i++) {
            double mean = t.stats(t.adv(), t.inGroup(t.group()[i]))[0];
            for (int k = 0; k < kept[i].length; k++) assertEquals(mean, kept[i][k] - centred[i][k], 1e-4, "row " + i + ", token " + k);
        }
    }
}
