// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;

/**
 * One kind of question. A family draws everything random from the {@link Rng} it is given (one
 * per sample, so samples do not shift each other) and reads its difficulty from {@link Knobs}.
 */
public interface TaskFamily {
    /** The name in datasets and on the command line ("count_total"). */
    String name();

    Kind kind();

    /** Knobs for train, val and test. */
    Knobs standard();

    /** Knobs for test_ood: larger counts and values, more distractors, held-out colour/kind pairs. */
    Knobs shifted();

    /**
     * Knobs for a test_ood that shifts composition and looks only ({@code data generate
     * --ood-shift composition}): the counts and values of train, val and test, so every answer
     * lies within the range training saw, with the shifted split's distractors where it has more
     * of them and its held-out colour/kind pairs. It separates "does not extrapolate to larger
     * numbers" from "does not carry over to new scenes". A family that draws no shapes and has
     * no distractors (bar_max) comes out as its standard knobs.
     */
    default Knobs composition() {
        Knobs s = standard(), o = shifted();
        Knobs.Range d = o.distractors().max() > s.distractors().max() ? o.distractors() : s.distractors();
        return new Knobs("composition", s.count(), d, s.value(), s.layout(), o.looks());
    }

    TaskSample generate(Rng rng, Knobs knobs);
}
