// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which colour/kind pairs a split may show. Some pairs are held out of train/val/test so that
 * the OOD test asks about compositions never seen in training ("blue square" when training only
 * had blue circles and red squares). The default held-out set is a diagonal: every colour and
 * every kind is still seen in training, only the combination is new.
 *
 * @param heldOut pairs that in-distribution splits never draw
 * @param ood     true for the OOD split: every sample shows at least one held-out pair
 */
public record Looks(Set<Pair> heldOut, boolean ood) {
    public static final Set<Pair> DEFAULT_HELD_OUT = Set.of(
            new Pair(Colour.RED, Shape.TRIANGLE), new Pair(Colour.GREEN, Shape.CIRCLE), new Pair(Colour.BLUE, Shape.SQUARE));

    public static Looks standard() {
        return new Looks(DEFAULT_HELD_OUT, false);
    }

    public static Looks shifted() {
        return new Looks(DEFAULT_HELD_OUT, true);
    }

    public Looks {
        heldOut = Set.copyOf(heldOut);
        if (heldOut.size() >= Pair.ALL.size()) throw new IllegalArgumentException("at least one pair must stay in training");
    }

    /** The pairs in-distribution splits draw from, in a fixed order (a Set's order is not). */
    public List<Pair> allowed() {
        return Pair.ALL.stream().filter(p -> !heldOut.contains(p)).toList();
    }

    /** A picker for one sample. */
    public Picker picker(Rng rng) {
        return new Picker(rng);
    }

    /**
     * Draws pairs for one sample. In-distribution: uniform over the allowed pairs. OOD: the first
     * draw is a held-out pair whenever the constraint admits one (so every OOD image has one, and
     * the asked-about pair, drawn first, is held out), later draws are held-out half the time.
     */
    public final class Picker {
        private final Rng rng;
        private boolean first = true;

        private Picker(Rng rng) {
            this.rng = rng;
        }

        public Pair any() {
            return pick(p -> true);
        }

        public Pair pick(Predicate<Pair> ok) {
            boolean wantHeld = ood && (first || rng.nextInt(2) == 0);
            first = false;
            List<Pair> pool = List.of();
            if (wantHeld) pool = Pair.ALL.stream().filter(heldOut::contains).filter(ok).toList();
            if (pool.isEmpty()) pool = (ood ? Pair.ALL : allowed()).stream().filter(ok).toList();
            if (pool.isEmpty()) throw new IllegalStateException("no colour/kind pair allowed here (held out: " + heldOut + ")");
            return pool.get(rng.nextInt(pool.size()));
        }
    }
}
