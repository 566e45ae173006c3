// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

/**
 * Over which tokens {@link Normalization} takes its mean and variance. Config names: group,
 * batch, none.
 */
public enum Scope {
    /** The tokens of all responses to the same query. */
    GROUP,
    /** Every token of the batch (REINFORCE++'s global normalisation). */
    BATCH,
    /** No normalisation. */
    NONE;

    /** Parses a config name (case-insensitive, '-' accepted for '_'); an unknown name is an error listing the known ones. */
    public static Scope parse(String name) {
        return ConfigNames.parse(Scope.class, name, "normalisation scope");
    }

    /** The config name, e.g. "batch". */
    public String configName() {
        return ConfigNames.of(this);
    }
}
