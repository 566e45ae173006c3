// SPDX-License-Identifier: Apache-2.0
/**
 * Reverse-mode automatic differentiation over the tensor library.
 *
 * <p>{@link dev.jaye.autograd.Var} records the graph and walks it backward (read it first).
 * {@code ops/} holds one class per op family; in each, an op's forward and its backward sit
 * together:
 * <pre>{@code
 * public static Var mul(Var a, Var b) {
 *     Var out = Var.of("mul", a.value.mul(b.value), a, b);        // forward, recorded
 *     return out.withBackward(() -> {                             // d(ab)/da = b, d(ab)/db = a
 *         if (a.needsGrad()) a.accumulate(sumTo(out.grad().mul(b.value), a.value.shape()));
 *         if (b.needsGrad()) b.accumulate(sumTo(out.grad().mul(a.value), b.value.shape()));
 *     });
 * }
 * }</pre>
 * An input that needs no gradient (a constant, a frozen parameter) is skipped with
 * {@code needsGrad()}, so frozen parts cost no backward work. {@link dev.jaye.autograd.GradCheck}
 * compares every op's backward with finite differences; the tests run it on random shapes.
 */
package dev.jaye.autograd;
