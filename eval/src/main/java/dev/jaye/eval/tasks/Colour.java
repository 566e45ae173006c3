// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

/**
 * The four object colours. Saturated and far apart from each other and from the white
 * background and black ink, so that after the 8 x 8 patch embedding a colour is still
 * unambiguous; the yellow is a dark golden one, because pure yellow nearly vanishes on white.
 */
public enum Colour {
    RED(0xDC1E1E), GREEN(0x1EA032), BLUE(0x1E46DC), YELLOW(0xEBB900);

    /** 0xRRGGBB. */
    public final int rgb;

    Colour(int rgb) {
        this.rgb = rgb;
    }

    /** The word used in questions and captions. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
