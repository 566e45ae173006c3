// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

/**
 * The difficulty knobs of one family. Every family reads the same four knobs but decides what
 * they count (shapes, numbers, bars, boxes) and clamps them to what fits in 64 x 64 pixels;
 * each family's {@code standard()} and {@code shifted()} say its numbers.
 *
 * @param level       a name written to each sample's "difficulty" field ("standard", "ood")
 * @param count       how many of the counted things (shapes, numbers, bars, boxes)
 * @param distractors how many objects that must not be counted
 * @param value       the range of numbers drawn or stated (digits, sides, bar heights, prices)
 * @param layout      objects on a cell grid (easier: no overlaps, a reading order) or anywhere
 * @param looks       which colour/kind pairs may appear (held-out pairs for the OOD split)
 */
public record Knobs(String level, Range count, Range distractors, Range value, Layout layout, Looks looks) {
    /** Where objects go. */
    public enum Layout { GRID, FREE }

    /** Inclusive integer range. */
    public record Range(int min, int max) {
        public Range {
            if (min > max) throw new IllegalArgumentException("empty range " + min + ".." + max);
        }

        public int draw(Rng rng) {
            return min + rng.nextInt(max - min + 1);
        }

        public static Range of(int min, int max) {
            return new Range(min, max);
        }
    }

    public Knobs withLayout(Layout l) {
        return new Knobs(level, count, distractors, value, l, looks);
    }

    public Knobs withLooks(Looks l) {
        return new Knobs(level, count, distractors, value, layout, l);
    }
}
