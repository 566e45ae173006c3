// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/**
 * Where objects go on the 64 x 64 canvas. Both layouts leave at least 2 background pixels
 * between any two boxes, so objects never touch: what a person would count is what was placed.
 */
public final class Placement {
    private Placement() {}

    /** The shape grid: 4 x 4 cells of 16 pixels, a 12-pixel shape in each used cell. */
    public static final int GRID = 4, CELL = 16, GRID_SHAPE = 12;
    /** Free layout uses 10-pixel shapes and at most this many objects, so random placement never jams. */
    public static final int FREE_SHAPE = 10, FREE_MAX = 10;

    /**
     * {@code n} distinct cells of a {@code cells x cells} grid over the canvas, each holding a box of
     * {@code w x h} pixels jittered by a pixel or two inside its cell. Returned in reading order
     * (row by row), which the gold solutions follow.
     */
    public static List<Rectangle> grid(Rng rng, int n, int cells, int w, int h) {
        int total = cells * cells, cell = Canvas.SIZE / cells;
        if (n > total) throw new IllegalArgumentException(n + " objects do not fit a " + cells + "x" + cells + " grid");
        if (w > cell - 2 || h > cell - 2) throw new IllegalArgumentException("a " + w + "x" + h + " box does not fit a " + cell + "-pixel cell");
        int[] order = new int[total];
        for (int i = 0; i < total; i++) order[i] = i;
        for (int i = 0; i < n; i++) {                      // partial Fisher-Yates: the first n are a uniform choice
            int j = i + rng.nextInt(total - i), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        java.util.Arrays.sort(order, 0, n);
        List<Rectangle> boxes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int row = order[i] / cells, col = order[i] % cells;
            // Offsets in [1, spare-1] keep 2 pixels between neighbours (cell - box >= 2).
            int spareX = cell - w, spareY = cell - h;
            int ox = spareX <= 2 ? spareX / 2 : 1 + rng.nextInt(spareX - 1);
            int oy = spareY <= 2 ? spareY / 2 : 1 + rng.nextInt(spareY - 1);
            boxes.add(new Rectangle(col * cell + ox, row * cell + oy, w, h));
        }
        return boxes;
    }

    /** Row and column (1-based) of a box placed by {@link #grid}. */
    public static int row(Rectangle box, int cells) {
        return box.y / (Canvas.SIZE / cells) + 1;
    }

    public static int col(Rectangle box, int cells) {
        return box.x / (Canvas.SIZE / cells) + 1;
    }

    /**
     * Boxes of the given sizes anywhere on the canvas, 2 pixels apart and 1 from the border
     * (rejection sampling; starts over when a box finds no room). Returned in the order of
     * {@code sizes}; see {@link #LEFT_TO_RIGHT} for a reading order.
     */
    public static List<Rectangle> free(Rng rng, List<java.awt.Dimension> sizes) {
        for (int attempt = 0; attempt < 200; attempt++) {
            List<Rectangle> boxes = new ArrayList<>();
            for (java.awt.Dimension d : sizes) {
                Rectangle found = null;
                for (int tries = 0; tries < 200 && found == null; tries++) {
                    Rectangle r = new Rectangle(1 + rng.nextInt(Canvas.SIZE - d.width - 1), 1 + rng.nextInt(Canvas.SIZE - d.height - 1), d.width, d.height);
                    Rectangle grown = new Rectangle(r.x - 2, r.y - 2, r.width + 4, r.height + 4);
                    if (boxes.stream().noneMatch(grown::intersects)) found = r;
                }
                if (found == null) break;
                boxes.add(found);
            }
            if (boxes.size() == sizes.size()) return boxes;
        }
        throw new IllegalStateException("could not place " + sizes.size() + " objects without overlap");
    }

    /** Left to right, then top to bottom: the order a free-layout solution counts in. */
    public static final java.util.Comparator<Rectangle> LEFT_TO_RIGHT =
            java.util.Comparator.<Rectangle>comparingInt(b -> b.x).thenComparingInt(b -> b.y);

    /** n equal boxes anywhere, in reading order (left to right). */
    public static List<Rectangle> free(Rng rng, int n, int size) {
        List<Rectangle> boxes = new ArrayList<>(free(rng, java.util.Collections.nCopies(n, new java.awt.Dimension(size, size))));
        boxes.sort(LEFT_TO_RIGHT);
        return boxes;
    }

    /** Boxes for n equal shapes in the knob's layout. */
    public static List<Rectangle> shapes(Rng rng, int n, Knobs.Layout layout) {
        return layout == Knobs.Layout.GRID ? grid(rng, n, GRID, GRID_SHAPE, GRID_SHAPE) : free(rng, n, FREE_SHAPE);
    }

    /** How many shapes a layout holds. */
    public static int capacity(Knobs.Layout layout) {
        return layout == Knobs.Layout.GRID ? GRID * GRID : FREE_MAX;
    }
}
