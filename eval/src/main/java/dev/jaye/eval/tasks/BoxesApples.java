// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * Text-dominant: "Each square is a box that holds 4 apples. How many apples are in the boxes?"
 * The rule and the multiplier are only in the text; the picture gives how many boxes (squares,
 * among circles and triangles that are not boxes).
 */
public final class BoxesApples implements TaskFamily {
    public String name() { return "boxes_apples"; }

    public Kind kind() { return Kind.TEXT; }

    public Knobs standard() {
        return new Knobs("standard", Knobs.Range.of(1, 6), Knobs.Range.of(0, 2), Knobs.Range.of(2, 5), Knobs.Layout.GRID, Looks.standard());
    }

    public Knobs shifted() {
        return new Knobs("ood", Knobs.Range.of(4, 7), Knobs.Range.of(3, 5), Knobs.Range.of(3, 6), Knobs.Layout.GRID, Looks.shifted());
    }

    public TaskSample generate(Rng rng, Knobs k) {
        int cap = Placement.capacity(k.layout());
        int n = Math.min(k.count().draw(rng), cap), d = Math.min(k.distractors().draw(rng), cap - n);
        int each = k.value().draw(rng);
        Looks.Picker pick = k.looks().picker(rng);
        List<Pair> looks = new ArrayList<>();
        for (int i = 0; i < n; i++) looks.add(pick.pick(p -> p.shape() == Shape.SQUARE));
        for (int i = 0; i < d; i++) looks.add(pick.pick(p -> p.shape() != Shape.SQUARE));
        Scene scene = Scene.place(rng, looks, k.layout());
        Canvas c = new Canvas();
        scene.draw(c);
        int total = n * each;
        List<String> steps = new ArrayList<>();
        steps.add("The boxes are the squares" + (d > 0 ? "; the other shapes are not boxes." : "."));
        steps.addAll(CountTotal.solve(scene, p -> p.shape() == Shape.SQUARE, "squares", n).steps());
        steps.add("Each box holds " + each + " apples, so " + n + " * " + each + " = " + total + " apples.");
        Solution sol = Solution.boxed(steps, total + " / " + each + " = " + n + ", the number of boxes.", total);
        String q = "Each square is a box that holds " + each + " apples. How many apples are in the boxes?";
        return new TaskSample(name(), kind(), k.level(), c.done(), q, String.valueOf(total), sol, scene.items());
    }
}
