// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * "What is the value of the tallest bar?" A small bar chart with each bar's value written above
 * it. Bars are drawn to one scale per split (the knob's largest value fills the chart), so the
 * tallest bar really is the one with the largest label; the maximum is always unique.
 */
public final class BarMax implements TaskFamily {
    static final int SCALE = 2, BASELINE = 62, TOP = 13;

    public String name() { return "bar_max"; }

    public Kind kind() { return Kind.VISION; }

    public Knobs standard() {
        return new Knobs("standard", Knobs.Range.of(3, 4), Knobs.Range.of(0, 0), Knobs.Range.of(1, 9), Knobs.Layout.GRID, Looks.standard());
    }

    /**
     * Larger values, so two-digit labels: 14 pixels wide, they need a bar slot of 20 (three bars);
     * with four bars neighbouring labels touch and "12" "11" reads as "1211".
     */
    public Knobs shifted() {
        return new Knobs("ood", Knobs.Range.of(3, 3), Knobs.Range.of(0, 0), Knobs.Range.of(6, 14), Knobs.Layout.GRID, Looks.shifted());
    }

    public TaskSample generate(Rng rng, Knobs k) {
        int n = Math.clamp(k.count().draw(rng), 2, 4);
        if (k.value().max() >= 10) n = Math.min(n, 3);           // two-digit labels need the wider slots
        List<Integer> values = new ArrayList<>();
        for (int attempt = 0; ; attempt++) {
            values.clear();
            for (int i = 0; i < n; i++) values.add(k.value().draw(rng));
            int max = values.stream().mapToInt(Integer::intValue).max().orElseThrow();
            if (values.stream().filter(v -> v == max).count() == 1) break;
            if (attempt == 50) {                 // a range too narrow for a unique maximum: raise one bar
                values.set(rng.nextInt(n), max + 1);
                break;
            }
        }
        int vmax = Math.max(k.value().max(), values.stream().mapToInt(Integer::intValue).max().orElseThrow());
        int slot = (Canvas.SIZE - 2) / n, barW = slot - 4;
        Canvas c = new Canvas();
        c.fillRect(Canvas.INK, 1, BASELINE, Canvas.SIZE - 2, 1);      // the x axis
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int v = values.get(i), h = Math.max(1, Math.round((float) v * (BASELINE - TOP) / vmax));
            int x = 1 + i * slot + (slot - barW) / 2, y = BASELINE - h;
            Colour colour = Colour.values()[rng.nextInt(Colour.values().length)];
            c.fillRect(colour.rgb, x, y, barW, h);
            int lw = Canvas.numberWidth(v, SCALE);
            c.number(v, Canvas.INK, x + (barW - lw) / 2, y - Canvas.numberHeight(SCALE) - 2, SCALE);
            items.add(new Item("bar", null, colour.rgb, x, y, barW, h, v));
        }
        int max = values.stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<Integer> others = new ArrayList<>(values);
        others.remove(Integer.valueOf(max));
        Solution sol = Solution.boxed(List.of("From left to right the bars are labelled " + SumDigits.list(values) + ".",
                        "The tallest bar is the one labelled " + max + "."),
                max + " is larger than " + SumDigits.list(others) + ".", max);
        return new TaskSample(name(), kind(), k.level(), c.done(), "What is the value of the tallest bar?", String.valueOf(max), sol, items);
    }
}
