// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * "How many red circles are there?" among distractors, which are chosen to share the colour or
 * the kind half of the time so that neither cue alone answers. The question must select image
 * tokens before counting: a nano model did not learn this (docs/nano-recipe.md).
 */
public final class CountColorKind implements TaskFamily {
    public String name() { return "count_color_kind"; }

    public Kind kind() { return Kind.VISION; }

    public Knobs standard() {
        return new Knobs("standard", Knobs.Range.of(1, 5), Knobs.Range.of(1, 5), Knobs.Range.of(0, 0), Knobs.Layout.GRID, Looks.standard());
    }

    public Knobs shifted() {
        return new Knobs("ood", Knobs.Range.of(4, 7), Knobs.Range.of(6, 8), Knobs.Range.of(0, 0), Knobs.Layout.GRID, Looks.shifted());
    }

    public TaskSample generate(Rng rng, Knobs k) {
        int cap = Placement.capacity(k.layout());
        int n = Math.min(k.count().draw(rng), cap);
        int d = Math.min(k.distractors().draw(rng), cap - n);
        Looks.Picker pick = k.looks().picker(rng);
        Pair target = pick.any();                       // drawn first: held out in the OOD split
        List<Pair> looks = new ArrayList<>();
        for (int i = 0; i < n; i++) looks.add(target);
        for (int i = 0; i < d; i++) {
            // Half the distractors share the colour or the kind: the hard negatives.
            boolean near = rng.nextInt(2) == 0;
            looks.add(pick.pick(p -> !p.equals(target) && (!near || p.colour() == target.colour() || p.shape() == target.shape())));
        }
        Scene scene = Scene.place(rng, looks, k.layout());
        Canvas c = new Canvas();
        scene.draw(c);
        String plural = target.colour().word() + " " + target.shape().word() + "s";
        Solution counted = CountTotal.solve(scene, target::equals, plural, n);
        List<String> steps = new ArrayList<>();
        steps.add("I look for shapes that are both " + target.colour().word() + " and " + target.shape().word() + "s.");
        steps.addAll(counted.steps());
        String check = "the other " + d + " shapes are not " + plural + ", and " + n + " + " + d + " = " + (n + d) + " shapes in all.";
        return new TaskSample(name(), kind(), k.level(), c.done(), "How many " + plural + " are there?", String.valueOf(n),
                Solution.boxed(steps, check, n), scene.items());
    }
}
