// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.awt.Dimension;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/**
 * "What is the sum of the numbers in the image?" Numbers in black among a few shapes, which are
 * distractors. Reading digits is the skill; the arithmetic is a short chain of additions.
 */
public final class SumDigits implements TaskFamily {
    /** Numbers use a 3 x 3 grid: a two-digit number (14 pixels) fits a 21-pixel cell. */
    static final int CELLS = 3, SCALE = 2;

    public String name() { return "sum_digits"; }

    public Kind kind() { return Kind.VISION; }

    public Knobs standard() {
        return new Knobs("standard", Knobs.Range.of(2, 3), Knobs.Range.of(0, 2), Knobs.Range.of(1, 9), Knobs.Layout.GRID, Looks.standard());
    }

    public Knobs shifted() {
        return new Knobs("ood", Knobs.Range.of(3, 4), Knobs.Range.of(2, 3), Knobs.Range.of(1, 9), Knobs.Layout.GRID, Looks.shifted());
    }

    public TaskSample generate(Rng rng, Knobs k) {
        int n = Math.min(k.count().draw(rng), 6);
        int d = Math.min(k.distractors().draw(rng), CELLS * CELLS - n);
        Looks.Picker pick = k.looks().picker(rng);
        // An object is a number (pair == null) or a distractor shape; shuffled before placing.
        record Obj(int value, Pair pair) {}
        List<Obj> objs = new ArrayList<>();
        for (int i = 0; i < d; i++) objs.add(new Obj(0, pick.any()));
        for (int i = 0; i < n; i++) objs.add(new Obj(k.value().draw(rng), null));
        for (int i = objs.size() - 1; i > 0; i--) java.util.Collections.swap(objs, i, rng.nextInt(i + 1));

        List<Rectangle> boxes;
        if (k.layout() == Knobs.Layout.GRID) {
            // One box size fits both a two-digit number (14 x 10) and a shape (12 x 12).
            boxes = Placement.grid(rng, objs.size(), CELLS, 14, 12);
        } else {
            List<Dimension> sizes = objs.stream().map(o -> o.pair == null
                    ? new Dimension(Canvas.numberWidth(o.value, SCALE), Canvas.numberHeight(SCALE))
                    : new Dimension(Placement.FREE_SHAPE, Placement.FREE_SHAPE)).toList();
            boxes = Placement.free(rng, sizes);
        }
        // Reading order: grid boxes already are; free boxes go left to right.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < objs.size(); i++) order.add(i);
        if (k.layout() == Knobs.Layout.FREE) order.sort((a, b) -> Placement.LEFT_TO_RIGHT.compare(boxes.get(a), boxes.get(b)));

        Canvas c = new Canvas();
        List<Item> items = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        for (int i : order) {
            Obj o = objs.get(i);
            Rectangle b = boxes.get(i);
            if (o.pair == null) {
                Rectangle drawn = c.number(o.value, Canvas.INK, b.x, b.y, SCALE);
                items.add(new Item("number", null, Canvas.INK, drawn.x, drawn.y, drawn.width, drawn.height, o.value));
                values.add(o.value);
            } else {
                int s = k.layout() == Knobs.Layout.GRID ? Placement.GRID_SHAPE : Placement.FREE_SHAPE;
                Rectangle box = new Rectangle(b.x, b.y, s, s);
                c.shape(o.pair.shape(), o.pair.colour().rgb, box);
                items.add(Item.shape(o.pair, box));
            }
        }
        int sum = values.stream().mapToInt(Integer::intValue).sum();
        return new TaskSample(name(), kind(), k.level(), c.done(), "What is the sum of the numbers in the image?", String.valueOf(sum),
                solve(values, d), items);
    }

    private static Solution solve(List<Integer> values, int distractors) {
        List<String> steps = new ArrayList<>();
        steps.add("The numbers in the image are " + list(values) + (distractors > 0 ? "; the shapes are not numbers." : "."));
        int acc = values.getFirst();
        StringBuilder adds = new StringBuilder();
        for (int i = 1; i < values.size(); i++) {
            adds.append(i == 1 ? "" : " ").append(acc).append(" + ").append(values.get(i)).append(" = ").append(acc + values.get(i)).append('.');
            acc += values.get(i);
        }
        steps.add(values.size() == 1 ? "There is only one number, " + acc + "." : adds.toString());
        List<Integer> reversed = new ArrayList<>(values.reversed());
        String check = "adding in reverse order, " + String.join(" + ", reversed.stream().map(String::valueOf).toList()) + " = " + acc + ".";
        return Solution.boxed(steps, check, acc);
    }

    /** "3, 7 and 5". */
    static String list(List<Integer> v) {
        if (v.size() == 1) return String.valueOf(v.getFirst());
        List<String> s = v.stream().map(String::valueOf).toList();
        return String.join(", ", s.subList(0, s.size() - 1)) + " and " + s.getLast();
    }
}
