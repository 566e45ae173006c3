// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * "How many shapes are there?" The easiest family, and the one a nano model learned
 * (docs/nano-recipe.md): every object counts, so the question needs no reading.
 */
public final class CountTotal implements TaskFamily {
    public String name() { return "count_total"; }

    public Kind kind() { return Kind.VISION; }

    public Knobs standard() {
        return new Knobs("standard", Knobs.Range.of(1, 8), Knobs.Range.of(0, 0), Knobs.Range.of(0, 0), Knobs.Layout.GRID, Looks.standard());
    }

    public Knobs shifted() {
        return new Knobs("ood", Knobs.Range.of(6, 11), Knobs.Range.of(0, 0), Knobs.Range.of(0, 0), Knobs.Layout.GRID, Looks.shifted());
    }

    public TaskSample generate(Rng rng, Knobs k) {
        int n = Math.min(k.count().draw(rng), Placement.capacity(k.layout()));
        Looks.Picker pick = k.looks().picker(rng);
        List<Pair> looks = new ArrayList<>();
        for (int i = 0; i < n; i++) looks.add(pick.any());
        Scene scene = Scene.place(rng, looks, k.layout());
        Canvas c = new Canvas();
        scene.draw(c);
        return new TaskSample(name(), kind(), k.level(), c.done(), "How many shapes are there?", String.valueOf(n),
                solve(scene, p -> true, "shapes", n), scene.items());
    }

    /**
     * The counting solution shared with the other counting families: row sums on a grid (checked by
     * column sums), counting aloud left to right in a free layout (checked top to bottom).
     */
    static Solution solve(Scene scene, java.util.function.Predicate<Pair> which, String what, int n) {
        List<String> steps = new ArrayList<>();
        String check;
        if (scene.layout() == Knobs.Layout.GRID) {
            int[] rows = scene.perRow(which);
            StringBuilder s = new StringBuilder("Row by row, the " + what + " are: ");
            for (int r = 0; r < rows.length; r++) s.append(r == 0 ? "" : ", ").append("row ").append(r + 1).append(" has ").append(rows[r]);
            steps.add(s.append('.').toString());
            steps.add("In all, " + Scene.sum(rows) + ".");
            check = "column by column, " + Scene.sum(scene.perColumn(which)) + ".";
        } else if (n == 0) {
            steps.add("I look at every object from left to right and find no " + what + ".");
            check = "from top to bottom I also find no " + what + ".";
        } else {
            steps.add("Counting the " + what + " from left to right: " + Scene.countAloud(n) + ".");
            steps.add("That makes " + n + ".");
            check = "counting from top to bottom also gives " + n + ".";
        }
        return Solution.boxed(steps, check, n);
    }
}
