// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

/**
 * One thing a generator drew, kept so that tests (and curious readers) can check the answer
 * against the picture: its role, its look when it is a shape (else null), the colour it was
 * painted in, its bounding box in pixels, and the number it shows or stands for (0 if none).
 *
 * @param what  "shape", "number", "bar", "rect", "width" or "height"
 */
public record Item(String what, Pair pair, int rgb, int x, int y, int w, int h, int value) {
    public static Item shape(Pair p, java.awt.Rectangle box) {
        return new Item("shape", p, p.colour().rgb, box.x, box.y, box.width, box.height, 0);
    }
}
