// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

/** One look an object can have: a colour and a kind ("red circle"). 4 x 3 = 12 in all. */
public record Pair(Colour colour, Shape shape) {
    public static final java.util.List<Pair> ALL = java.util.Arrays.stream(Colour.values())
            .flatMap(c -> java.util.Arrays.stream(Shape.values()).map(s -> new Pair(c, s))).toList();

    /** "red circle". */
    public String words() {
        return colour.word() + " " + shape.word();
    }

    /** "1 red circle", "2 red circles". */
    public String count(int n) {
        return n + " " + colour.word() + " " + (n == 1 ? shape.word() : shape.word() + "s");
    }

    /** Parses "red circle" or "red:circle" (what the command line and dataset.json use). */
    public static Pair parse(String s) {
        String[] parts = s.trim().toUpperCase(java.util.Locale.ROOT).split("[\\s:_-]+");
        if (parts.length != 2) throw new IllegalArgumentException("a pair is 'colour shape', e.g. 'red circle', got '" + s + "'");
        return new Pair(Colour.valueOf(parts[0]), Shape.valueOf(parts[1]));
    }
}
