// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * "Describe the image." -> "2 red circles, 1 blue square." An alignment task: the solution is the
 * caption, which names every object, so every image token gets supervised (the idea in
 * docs/nano-recipe.md). The answer field holds the total count, but the task is not judged by it.
 * Groups follow a fixed order (colours red, green, blue, yellow; then circle, square, triangle),
 * so one picture has exactly one gold caption.
 */
public final class Caption implements TaskFamily {
    public String name() { return "caption"; }

    public Kind kind() { return Kind.ALIGNMENT; }

    public Knobs standard() {
        return new Knobs("standard", Knobs.Range.of(1, 6), Knobs.Range.of(0, 0), Knobs.Range.of(0, 0), Knobs.Layout.GRID, Looks.standard());
    }

    public Knobs shifted() {
        return new Knobs("ood", Knobs.Range.of(5, 8), Knobs.Range.of(0, 0), Knobs.Range.of(0, 0), Knobs.Layout.GRID, Looks.shifted());
    }

    public TaskSample generate(Rng rng, Knobs k) {
        int n = Math.min(k.count().draw(rng), Placement.capacity(k.layout()));
        Looks.Picker pick = k.looks().picker(rng);
        List<Pair> looks = new ArrayList<>();
        for (int i = 0; i < n; i++) looks.add(pick.any());
        Scene scene = Scene.place(rng, looks, k.layout());
        Canvas c = new Canvas();
        scene.draw(c);
        String text = caption(looks);
        return new TaskSample(name(), kind(), k.level(), c.done(), "Describe the image.", String.valueOf(n),
                new Solution(List.of(text), null, String.valueOf(n), false), scene.items());
    }

    /** The canonical caption of a set of looks. */
    public static String caption(List<Pair> looks) {
        Map<Pair, Integer> groups = new TreeMap<>(java.util.Comparator.comparing(Pair::colour).thenComparing(Pair::shape));
        for (Pair p : looks) groups.merge(p, 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        groups.forEach((p, n) -> parts.add(p.count(n)));
        return String.join(", ", parts) + ".";
    }
}
