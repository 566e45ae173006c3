// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/** A set of shapes placed on the canvas: the common part of the counting families. */
public record Scene(List<Placed> placed, Knobs.Layout layout) {
    /** One shape and where it went. */
    public record Placed(Pair pair, Rectangle box) {}

    /**
     * Shuffles the looks (generators list targets first; the picture must not), gives them boxes
     * in reading order, so {@code placed} is in the order a solution counts them.
     */
    public static Scene place(Rng rng, List<Pair> looks, Knobs.Layout layout) {
        List<Pair> shuffled = new ArrayList<>(looks);
        for (int i = shuffled.size() - 1; i > 0; i--) java.util.Collections.swap(shuffled, i, rng.nextInt(i + 1));
        List<Rectangle> boxes = Placement.shapes(rng, shuffled.size(), layout);
        List<Placed> placed = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) placed.add(new Placed(shuffled.get(i), boxes.get(i)));
        return new Scene(List.copyOf(placed), layout);
    }

    public void draw(Canvas c) {
        for (Placed p : placed) c.shape(p.pair.shape(), p.pair.colour().rgb, p.box);
    }

    public List<Item> items() {
        return placed.stream().map(p -> Item.shape(p.pair, p.box)).toList();
    }

    public long count(java.util.function.Predicate<Pair> which) {
        return placed.stream().filter(p -> which.test(p.pair)).count();
    }

    /** Per grid row, how many shapes match (a grid scene only). */
    public int[] perRow(java.util.function.Predicate<Pair> which) {
        int[] rows = new int[Placement.GRID];
        for (Placed p : placed) if (which.test(p.pair)) rows[Placement.row(p.box, Placement.GRID) - 1]++;
        return rows;
    }

    public int[] perColumn(java.util.function.Predicate<Pair> which) {
        int[] cols = new int[Placement.GRID];
        for (Placed p : placed) if (which.test(p.pair)) cols[Placement.col(p.box, Placement.GRID) - 1]++;
        return cols;
    }

    /** "2 + 0 + 1 + 3 = 6". */
    public static String sum(int[] parts) {
        StringBuilder sb = new StringBuilder();
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) sb.append(" + ");
            sb.append(parts[i]);
            total += parts[i];
        }
        return sb.append(" = ").append(total).toString();
    }

    /** "1, 2, 3" (counting aloud up to n). */
    public static String countAloud(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) sb.append(i == 1 ? "" : ", ").append(i);
        return sb.toString();
    }
}
