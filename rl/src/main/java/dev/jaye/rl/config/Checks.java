// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.config;

import dev.jaye.eval.GenerationSetting;

import java.util.List;

/**
 * The checks both trainers' configs make before the first step, each adding "; key must ..." to
 * the message being built. A value is checked here when a bad one would only fail late (at the
 * first evaluation, after an epoch of training) or would run and write nonsense (an infinite
 * learning rate). NaN fails every check: each is written as "not (good)".
 */
public final class Checks {
    private Checks() {}

    public static void positive(StringBuilder e, String key, double v) {
        if (!(v > 0 && Double.isFinite(v))) e.append("; ").append(key).append(" must be a finite number > 0, got ").append(v);
    }

    public static void nonNegative(StringBuilder e, String key, double v) {
        if (!(v >= 0 && Double.isFinite(v))) e.append("; ").append(key).append(" must be a finite number >= 0, got ").append(v);
    }

    public static void finite(StringBuilder e, String key, double v) {
        if (!Double.isFinite(v)) e.append("; ").append(key).append(" must be a finite number, got ").append(v);
    }

    public static void atLeast(StringBuilder e, String key, long v, long min) {
        if (v < min) e.append("; ").append(key).append(" must be >= ").append(min).append(", got ").append(v);
    }

    /** eval.settings, eval.max_tokens and eval.batch_size: what the first evaluation would otherwise refuse. */
    public static void eval(StringBuilder e, List<String> settings, int maxTokens, int batchSize, int limit) {
        atLeast(e, "eval.max_tokens", maxTokens, 1);
        atLeast(e, "eval.batch_size", batchSize, 1);
        atLeast(e, "eval.limit", limit, 0);
        if (settings == null) {
            e.append("; eval.settings is needed (a list; [] evaluates nothing)");
            return;
        }
        if (settings.isEmpty() || maxTokens < 1) return;
        try {
            GenerationSetting.parse(String.join(",", settings), maxTokens);
        } catch (IllegalArgumentException x) {
            e.append("; eval.settings: ").append(x.getMessage());
        }
    }
}
