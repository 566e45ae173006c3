// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd;

import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;

import java.util.function.Function;

/**
 * One differentiable op as gradcheck sees it: a name, a generator of random inputs (random
 * shapes included) and the function of those inputs. The test properties and {@code jaye
 * gradcheck} run the same cases, from {@link GradCheckSuite#all()}.
 *
 * @param step      finite-difference step (GradCheck.STEP unless the op needs another, said why where set)
 * @param tolerance relative tolerance (GradCheck.TOLERANCE unless said otherwise)
 */
public record OpCase(String name, Function<Rng, Tensor[]> inputs, Function<Var[], Var> f, double step, double tolerance) {

    public OpCase(String name, Function<Rng, Tensor[]> inputs, Function<Var[], Var> f) {
        this(name, inputs, f, GradCheck.STEP, GradCheck.TOLERANCE);
    }

    /** Draws inputs from {@code seed} and runs gradcheck on them. */
    public GradCheck.Result check(long seed) {
        Rng rng = new Rng(seed);
        Tensor[] in = inputs.apply(rng);
        return GradCheck.check(name, f, rng.nextLong(), step, tolerance, in);
    }
}
