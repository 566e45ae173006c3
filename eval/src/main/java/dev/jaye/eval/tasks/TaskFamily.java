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

    TaskSample generate(Rng rng, Knobs knobs);
}
