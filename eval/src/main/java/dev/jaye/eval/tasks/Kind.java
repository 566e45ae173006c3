// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

/**
 * Where a task's facts live (docs/method.md). The paper trains on both kinds and finds that they
 * generalise differently, so every sample records its kind.
 */
public enum Kind {
    /** The key facts are only in the image: the question alone cannot be answered. */
    VISION,
    /** The text carries most facts (a rule, prices, a multiplier); the image supports it. */
    TEXT,
    /**
     * Describe-the-image samples: every object is supervised, which is how real VLMs are first
     * aligned before they follow instructions. Not judged by a numeric answer.
     */
    ALIGNMENT;

    /** The lower-case name written to the dataset ("vision", "text", "alignment"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
