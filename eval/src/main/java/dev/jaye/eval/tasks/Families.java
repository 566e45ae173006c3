// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every task family by name, in a fixed order (the order datasets interleave them in). */
public final class Families {
    private Families() {}

    private static final Map<String, TaskFamily> ALL = new LinkedHashMap<>();

    static {
        for (TaskFamily f : List.of(new CountTotal(), new CountColorKind(), new SumDigits(), new RectMeasure(RectMeasure.Ask.AREA),
                new RectMeasure(RectMeasure.Ask.PERIMETER), new BarMax(), new BoxesApples(), new PriceTotal(), new Caption()))
            ALL.put(f.name(), f);
    }

    public static List<TaskFamily> all() {
        return List.copyOf(ALL.values());
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /** A family by name; an unknown name lists the known ones. */
    public static TaskFamily get(String name) {
        TaskFamily f = ALL.get(name.trim());
        if (f == null) throw new IllegalArgumentException("unknown task family '" + name + "'; known: " + String.join(", ", ALL.keySet()));
        return f;
    }
}
