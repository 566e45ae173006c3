// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

/**
 * Whitening of token advantages. Centring on a scope's mean is itself a baseline (REINFORCE++
 * has no other), and dividing by the scope's std fixes the size of the update whatever the
 * scale of the rewards, so one learning rate fits every task.
 */
public final class Normalization {
    private Normalization() {}

    /** Added to the variance so that a scope whose tokens are all equal maps to 0, not 0/0. */
    static final double VAR_EPS = 1e-8;

    /**
     * Normalises token advantages in place over the tokens of each scope: BATCH = all tokens of
     * all rows, GROUP = the tokens of the rows sharing {@code group[i]}, NONE = unchanged.
     * <pre>  x -> (x - mean) / sqrt(var + 1e-8)</pre>
     * with var the biased (population) variance {@code Σ (x - mean)² / N} over the scope's N
     * tokens; {@code divideByStd=false} gives {@code x - mean} only. {@code keepMean=true} is the
     * reference code's whitening (MAYE's masked whiten without mean shift): the mean is added
     * back afterwards, {@code x -> (x - mean) / sqrt(var + 1e-8) + mean}, so only the spread is
     * rescaled (with divideByStd=false as well, that leaves x as it was).
     *
     * <p>Statistics are token-weighted, so a longer response weighs more, and are computed in
     * double. A scope with no tokens is left alone.
     *
     * @param group the query index of each row; needed for GROUP, may be null for BATCH and NONE
     * @return adv (the same array), for chaining
     */
    public static float[][] apply(float[][] adv, int[] group, Scope scope, boolean divideByStd, boolean keepMean) {
        if (adv == null) throw new IllegalArgumentException("adv is null");
        if (scope == null) throw new IllegalArgumentException("scope is null");
        for (int i = 0; i < adv.length; i++) {
            if (adv[i] == null) throw new IllegalArgumentException("adv[" + i + "] is null");
            for (int t = 0; t < adv[i].length; t++)
                if (!Float.isFinite(adv[i][t])) throw new IllegalArgumentException("adv[" + i + "][" + t + "] is " + adv[i][t]);
        }
        // A group of the wrong size is a caller bug even where this scope would not read it.
        Groups groups = group == null && scope != Scope.GROUP ? null : Groups.of(group, adv.length, "adv");
        if (scope == Scope.NONE) return adv;

        int[] scopeOf = scope == Scope.GROUP ? groups.index() : new int[adv.length];   // BATCH: every row in scope 0
        int scopes = scope == Scope.GROUP ? groups.count() : 1;
        double[] mean = new double[scopes], var = new double[scopes];
        long[] tokens = new long[scopes];
        for (int i = 0; i < adv.length; i++) {
            for (float x : adv[i]) mean[scopeOf[i]] += x;
            tokens[scopeOf[i]] += adv[i].length;
        }
        for (int k = 0; k < scopes; k++) if (tokens[k] > 0) mean[k] /= tokens[k];
        // Second pass over the centred values: Σx²/N - mean² would cancel catastrophically.
        for (int i = 0; i < adv.length; i++)
            for (float x : adv[i]) var[scopeOf[i]] += (x - mean[scopeOf[i]]) * (x - mean[scopeOf[i]]);
        for (int k = 0; k < scopes; k++) if (tokens[k] > 0) var[k] /= tokens[k];

        // An empty scope's rows have no tokens, so the loop below never touches it.
        for (int i = 0; i < adv.length; i++) {
            int k = scopeOf[i];
            double scale = divideByStd ? 1 / Math.sqrt(var[k] + VAR_EPS) : 1, shift = keepMean ? mean[k] : 0;
            for (int t = 0; t < adv[i].length; t++) adv[i][t] = (float) ((adv[i][t] - mean[k]) * scale + shift);
        }
        return adv;
    }
}
