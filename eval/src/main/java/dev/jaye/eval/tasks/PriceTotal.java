// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * Text-dominant: "Each triangle costs 3 coins and each circle costs 2 coins. Squares are free.
 * How many coins do all the shapes cost?" Two prices and a rule in the text; the picture gives
 * how many of each kind there are. The free kind is the distractor.
 */
public final class PriceTotal implements TaskFamily {
    public String name() { return "price_total"; }

    public Kind kind() { return Kind.TEXT; }

    public Knobs standard() {
        return new Knobs("standard", Knobs.Range.of(1, 4), Knobs.Range.of(0, 2), Knobs.Range.of(1, 5), Knobs.Layout.GRID, Looks.standard());
    }

    public Knobs shifted() {
        return new Knobs("ood", Knobs.Range.of(3, 5), Knobs.Range.of(2, 4), Knobs.Range.of(3, 7), Knobs.Layout.GRID, Looks.shifted());
    }

    public TaskSample generate(Rng rng, Knobs k) {
        Shape free = Shape.values()[rng.nextInt(3)];
        List<Shape> priced = java.util.Arrays.stream(Shape.values()).filter(s -> s != free).toList();
        if (rng.nextInt(2) == 0) priced = priced.reversed();      // which priced kind is named first
        Shape a = priced.get(0), b = priced.get(1);
        int cap = Placement.capacity(k.layout());
        int na = Math.min(k.count().draw(rng), cap / 2), nb = Math.min(k.count().draw(rng), cap / 2);
        int d = Math.min(k.distractors().draw(rng), cap - na - nb);
        int pa = k.value().draw(rng), pb = k.value().draw(rng);
        Looks.Picker pick = k.looks().picker(rng);
        List<Pair> looks = new ArrayList<>();
        for (int i = 0; i < na; i++) looks.add(pick.pick(p -> p.shape() == a));
        for (int i = 0; i < nb; i++) looks.add(pick.pick(p -> p.shape() == b));
        for (int i = 0; i < d; i++) looks.add(pick.pick(p -> p.shape() == free));
        Scene scene = Scene.place(rng, looks, k.layout());
        Canvas c = new Canvas();
        scene.draw(c);
        int ta = na * pa, tb = nb * pb, total = ta + tb;
        String q = "Each " + a.word() + " costs " + coins(pa) + " and each " + b.word() + " costs " + coins(pb) + ". "
                + cap(free.word()) + "s are free. How many coins do all the shapes cost?";
        List<String> steps = new ArrayList<>();
        steps.add("I count " + a.count(na) + ", " + b.count(nb) + (d > 0 ? " and " + free.count(d) : " and no " + free.word() + "s") + ".");
        steps.add(cap(a.word()) + "s: " + na + " * " + pa + " = " + ta + ". " + cap(b.word()) + "s: " + nb + " * " + pb + " = " + tb + "."
                + (d > 0 ? " " + cap(free.word()) + "s cost nothing." : ""));
        steps.add("Total: " + ta + " + " + tb + " = " + total + " coins.");
        String check = b.word() + "s first, " + nb + " * " + pb + " + " + na + " * " + pa + " = " + tb + " + " + ta + " = " + total + ".";
        return new TaskSample(name(), kind(), k.level(), c.done(), q, String.valueOf(total), Solution.boxed(steps, check, total), scene.items());
    }

    private static String coins(int n) {
        return n + (n == 1 ? " coin" : " coins");
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
