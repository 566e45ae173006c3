// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * A 64 x 64 drawing surface with antialiasing OFF. Why off: every pixel is then exactly the
 * background, the ink or one of the four palette colours, so (1) a colour never blurs into a
 * neighbour's inside an 8 x 8 patch, (2) tests can count an object's pixels exactly, and (3) the
 * PNG bytes do not depend on how a JDK or platform blends edges. The jagged edges of a 12-pixel
 * circle or triangle are still plainly a circle or a triangle.
 *
 * <p>Numbers are drawn with a built-in 3 x 5 pixel font (scaled 2x: 6 x 10 pixels a digit)
 * rather than a system font: no font files are needed on a headless machine, and the same seed
 * gives the same pixels on every machine.
 */
public final class Canvas {
    public static final int SIZE = 64;
    public static final int BACKGROUND = 0xFFFFFF;
    public static final int INK = 0x000000;
    /** Pixel font: digit width and height at scale 1, and the gap between digits. */
    public static final int GLYPH_W = 3, GLYPH_H = 5, GLYPH_GAP = 1;

    // Each digit is 5 rows of 3 bits, top row first, leftmost pixel the high bit.
    private static final int[][] DIGITS = {
            {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
            {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}};

    private final BufferedImage image;
    private final Graphics2D g;

    public Canvas() {
        image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(new Color(BACKGROUND));
        g.fillRect(0, 0, SIZE, SIZE);
    }

    /** A filled shape inside the box (circle: inscribed; triangle: apex up, base on the box bottom). */
    public void shape(Shape s, int rgb, Rectangle box) {
        g.setColor(new Color(rgb));
        switch (s) {
            case CIRCLE -> g.fillOval(box.x, box.y, box.width, box.height);
            case SQUARE -> g.fillRect(box.x, box.y, box.width, box.height);
            case TRIANGLE -> g.fillPolygon(new int[]{box.x, box.x + box.width / 2, box.x + box.width},
                    new int[]{box.y + box.height, box.y, box.y + box.height}, 3);
        }
    }

    public void fillRect(int rgb, int x, int y, int w, int h) {
        g.setColor(new Color(rgb));
        g.fillRect(x, y, w, h);
    }

    /** Width in pixels of a non-negative number drawn at this scale. */
    public static int numberWidth(int value, int scale) {
        int digits = Integer.toString(value).length();
        return scale * (digits * GLYPH_W + (digits - 1) * GLYPH_GAP);
    }

    public static int numberHeight(int scale) {
        return scale * GLYPH_H;
    }

    /** Draws a non-negative number with its top-left corner at (x, y); returns its box. */
    public Rectangle number(int value, int rgb, int x, int y, int scale) {
        if (value < 0) throw new IllegalArgumentException("negative numbers are not drawn: " + value);
        String s = Integer.toString(value);
        g.setColor(new Color(rgb));
        int cx = x;
        for (int i = 0; i < s.length(); i++) {
            int[] rows = DIGITS[s.charAt(i) - '0'];
            for (int r = 0; r < GLYPH_H; r++)
                for (int c = 0; c < GLYPH_W; c++)
                    if ((rows[r] >> (GLYPH_W - 1 - c) & 1) != 0) g.fillRect(cx + c * scale, y + r * scale, scale, scale);
            cx += scale * (GLYPH_W + GLYPH_GAP);
        }
        return new Rectangle(x, y, numberWidth(value, scale), numberHeight(scale));
    }

    /** The finished image; the canvas must not be drawn on afterwards. */
    public BufferedImage done() {
        g.dispose();
        return image;
    }
}
