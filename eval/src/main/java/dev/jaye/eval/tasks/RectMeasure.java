// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.awt.Rectangle;
import java.util.List;

/**
 * A filled rectangle with its width written under it and its height to its right; the question
 * asks its area or its perimeter (two families, one class: the pictures are the same). The
 * rectangle is drawn to scale, so the picture agrees with its labels.
 */
public final class RectMeasure implements TaskFamily {
    public enum Ask { AREA, PERIMETER }

    static final int SCALE = 2;
    private final Ask ask;

    public RectMeasure(Ask ask) {
        this.ask = ask;
    }

    public String name() { return ask == Ask.AREA ? "rect_area" : "rect_perimeter"; }

    public Kind kind() { return Kind.VISION; }

    public Knobs standard() {
        return new Knobs("standard", Knobs.Range.of(1, 1), Knobs.Range.of(0, 0), Knobs.Range.of(2, 9), Knobs.Layout.FREE, Looks.standard());
    }

    public Knobs shifted() {
        return new Knobs("ood", Knobs.Range.of(1, 1), Knobs.Range.of(0, 0), Knobs.Range.of(5, 12), Knobs.Layout.FREE, Looks.shifted());
    }

    public TaskSample generate(Rng rng, Knobs k) {
        int w = k.value().draw(rng), h = k.value().draw(rng);
        if (w == h) h = h == k.value().max() ? h - 1 : h + 1;   // a rectangle, not a square: the two labels must differ
        h = Math.max(h, 1);
        Colour colour = Colour.values()[rng.nextInt(Colour.values().length)];
        // Room: labels take 10 pixels below and up to 14 to the right, plus gaps.
        int maxW = 40, maxH = 42;
        double unit = Math.min(5.0, Math.min((double) maxW / w, (double) maxH / h));
        int pw = Math.max(6, (int) Math.round(w * unit)), ph = Math.max(6, (int) Math.round(h * unit));
        int labelW = Canvas.numberWidth(h, SCALE), labelH = Canvas.numberHeight(SCALE);
        int x = 2 + rng.nextInt(Math.max(1, Canvas.SIZE - pw - labelW - 6));
        int y = 2 + rng.nextInt(Math.max(1, Canvas.SIZE - ph - labelH - 6));
        Canvas c = new Canvas();
        c.fillRect(colour.rgb, x, y, pw, ph);
        int wl = Canvas.numberWidth(w, SCALE);
        Rectangle wBox = c.number(w, Canvas.INK, x + (pw - wl) / 2, y + ph + 3, SCALE);
        Rectangle hBox = c.number(h, Canvas.INK, x + pw + 3, y + (ph - labelH) / 2, SCALE);
        List<Item> items = List.of(
                new Item("rect", null, colour.rgb, x, y, pw, ph, 0),
                new Item("width", null, Canvas.INK, wBox.x, wBox.y, wBox.width, wBox.height, w),
                new Item("height", null, Canvas.INK, hBox.x, hBox.y, hBox.width, hBox.height, h));
        String sides = "The number under the rectangle gives its width, " + w + "; the number beside it gives its height, " + h + ".";
        Solution sol;
        String q;
        if (ask == Ask.AREA) {
            q = "What is the area of the rectangle?";
            sol = Solution.boxed(List.of(sides, "Area = width * height = " + w + " * " + h + " = " + (w * h) + "."),
                    h + " * " + w + " = " + (w * h) + ".", w * h);
        } else {
            int p = 2 * (w + h);
            q = "What is the perimeter of the rectangle?";
            sol = Solution.boxed(List.of(sides, "Perimeter = 2 * (width + height) = 2 * (" + w + " + " + h + ") = 2 * " + (w + h) + " = " + p + "."),
                    w + " + " + h + " + " + w + " + " + h + " = " + p + ".", p);
        }
        return new TaskSample(name(), kind(), k.level(), c.done(), q, sol.answer(), sol, items);
    }
}
