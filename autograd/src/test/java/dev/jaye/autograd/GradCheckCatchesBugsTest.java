// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jaye.autograd.ops.Arith;
import dev.jaye.autograd.ops.Pointwise;
import dev.jaye.autograd.ops.Reductions;
import dev.jaye.autograd.ops.ShapeOps;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A check that cannot fail proves nothing. Each op here has a deliberately wrong backward, of
 * the kinds that happen when writing one by hand; gradcheck must reject every one of them on
 * every seed, while the library's correct op passes on the very same inputs (so the failure is
 * the bug's, not the inputs').
 */
class GradCheckCatchesBugsTest {

    /** A buggy op, the inputs it is checked on, and the correct op to compare with. */
    private record Bug(String name, Function<Rng, Tensor[]> inputs, Function<Var[], Var> buggy, Function<Var[], Var> correct) {}

    private static final List<Bug> BUGS = List.of(
            // d(eˣ)/dx is eˣ = y, not x
            new Bug("exp with g·x", r -> new Tensor[]{Tensor.rand(r, -2f, 2f, 2 + r.nextInt(5), 3)},
                    x -> {
                        Var a = x[0];
                        Var out = Var.of("exp", a.value.exp(), a);
                        return out.withBackward(() -> a.accumulate(out.grad().mul(a.value)));
                    },
                    x -> Pointwise.exp(x[0])),
            // b [C] broadcast over R ≥ 2 rows: its gradient is the sum over rows; this takes row 0 only
            // (the right shape, so accumulate accepts it, but the other rows' shares are lost)
            new Bug("broadcast add keeping one row", r -> new Tensor[]{
                    Tensor.randn(r, 1f, 2 + r.nextInt(5), 4), Tensor.randn(r, 1f, 4)},
                    x -> {
                        Var a = x[0], b = x[1];
                        Var out = Var.of("add", a.value.add(b.value), a, b);
                        return out.withBackward(() -> {
                            a.accumulate(out.grad());
                            b.accumulate(out.grad().slice(0, 0, 1).reshape(b.shape()));
                        });
                    },
                    x -> Arith.add(x[0], x[1])),
            // d(ab)/db = a, not −a
            new Bug("mul with a flipped sign", r -> new Tensor[]{Tensor.randn(r, 1f, 3, 5), Tensor.randn(r, 1f, 3, 5)},
                    x -> {
                        Var a = x[0], b = x[1];
                        Var out = Var.of("mul", a.value.mul(b.value), a, b);
                        return out.withBackward(() -> {
                            a.accumulate(out.grad().mul(b.value));
                            b.accumulate(out.grad().mul(a.value).neg());
                        });
                    },
                    x -> Arith.mul(x[0], x[1])),
            // slice [start, end) with start ≥ 1; the backward pastes the gradient at 0 instead of start
            new Bug("slice pasting at the wrong offset", r -> new Tensor[]{Tensor.randn(r, 1f, 3, 6 + r.nextInt(3))},
                    x -> {
                        Var a = x[0];
                        int start = 2, end = 5;
                        Var out = Var.of("slice", a.value.slice(1, start, end), a);
                        return out.withBackward(() -> {
                            Tensor g = out.grad(), dx = Tensor.zeros(a.shape());
                            for (int i = 0; i < a.value.dim(0); i++)
                                for (int j = 0; j < end - start; j++) dx.set(g.get(i, j), i, j);   // should be j + start
                            a.accumulate(dx);
                        });
                    },
                    x -> ShapeOps.slice(x[0], 1, 2, 5)),
            // a repeated index must add up its gradients; this backward overwrites (= instead of +=)
            new Bug("indexSelect overwriting repeated rows", r -> new Tensor[]{Tensor.randn(r, 1f, 4, 3)},
                    x -> {
                        Var a = x[0];
                        int[] idx = {1, 3, 1, 0, 1};
                        Var out = Var.of("indexSelect", a.value.indexSelect(0, idx), a);
                        return out.withBackward(() -> {
                            Tensor g = out.grad(), dx = Tensor.zeros(a.shape());
                            for (int i = 0; i < idx.length; i++)
                                for (int c = 0; c < 3; c++) dx.set(g.get(i, c), idx[i], c);
                            a.accumulate(dx);
                        });
                    },
                    x -> ShapeOps.indexSelect(x[0], 0, 1, 3, 1, 0, 1)),
            // the backward of permute(1, 2, 0) is permute(2, 0, 1), not the same permutation again; on a
            // cube the shapes agree, so only the values can tell
            new Bug("permute undone by itself", r -> new Tensor[]{Tensor.randn(r, 1f, 3, 3, 3)},
                    x -> {
                        Var a = x[0];
                        Var out = Var.of("permute", a.value.permute(1, 2, 0), a);
                        return out.withBackward(() -> a.accumulate(out.grad().permute(1, 2, 0)));
                    },
                    x -> ShapeOps.permute(x[0], 1, 2, 0)),
            // population variance: 2(x − μ)/n; this uses the sample variance's 2(x − μ)/(n − 1)
            new Bug("variance with 1/(n−1)", r -> new Tensor[]{Tensor.randn(r, 1f, 2, 3 + r.nextInt(6))},
                    x -> {
                        Var a = x[0];
                        Var out = Var.of("variance", a.value.variance(1, false), a);
                        return out.withBackward(() -> {
                            int n = a.value.dim(1);
                            Tensor centred = a.value.sub(a.value.mean(1, true));
                            a.accumulate(out.grad().reshape(2, 1).mul(centred).mul(2f / (n - 1)));
                        });
                    },
                    x -> Reductions.variance(x[0], 1, false)));

    @Test
    void everyBuggyBackwardIsRejected() {
        for (Bug bug : BUGS)
            for (long seed = 1; seed <= 6; seed++) {
                Tensor[] in = bug.inputs().apply(new Rng(seed));
                GradCheck.Result r = GradCheck.check(bug.name(), bug.buggy(), seed, in);
                assertFalse(r.ok(), () -> "gradcheck missed the bug: " + r);
            }
    }

    @Test
    void theCorrectOpsPassOnTheSameInputs() {
        for (Bug bug : BUGS)
            for (long seed = 1; seed <= 6; seed++) {
                Tensor[] in = bug.inputs().apply(new Rng(seed));
                GradCheck.Result r = GradCheck.check(bug.name() + " (fixed)", bug.correct(), seed, in);
                assertTrue(r.ok(), r::toString);
            }
    }
}
